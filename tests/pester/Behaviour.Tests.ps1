# Issue 10: pipeline binding, missing targets, locks, -WhatIf, completion. One test per item, written from its
# reproduction, so that a failure says which behaviour came back.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Fq = { param($id, $cmd) "$id,AgentState.Commands.$cmd" }
    $script:DeadPid = 4000000
    while (Get-Process -Id $script:DeadPid -ErrorAction SilentlyContinue) { $script:DeadPid-- }
}

Describe 'Issue 10' {
    BeforeEach {
        $script:dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $script:root = Join-Path $dir 'store'
        $script:trajectories = Join-Path $dir 'trajectories'
    }

    Context 'Pipeline binding' {
        It '1. Get-OrphanedTempFile | Restore-FromTempFile restores the orphans, and a -Path that matches nothing is an error' {
            $target = Join-Path $dir 'state.json'
            [System.IO.File]::WriteAllText($target, '{"v":1}')
            [System.IO.File]::SetLastWriteTimeUtc($target, [datetime]::UtcNow.AddMinutes(-10))
            [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.aaaa", '{"v":2}')
            [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.bbbb", '{"v":')

            $steps = @(Get-OrphanedTempFile $dir | Restore-FromTempFile -Confirm:$false)

            @($steps.Action | Sort-Object) | Should -Be @('Promoted', 'Quarantined')
            Get-RawText $target | Should -BeExactly '{"v":2}'
            @(Get-OrphanedTempFile $dir).Count | Should -Be 0

            Restore-FromTempFile (Join-Path $dir 'nothere.json') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It '1. a temp file piped from Get-ChildItem is restored through its PSPath' {
            $target = Join-Path $dir 'state.json'
            [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.cccc", '{"v":3}')

            $step = Get-ChildItem $dir -Filter '*.tmp.*' | Restore-FromTempFile -Confirm:$false

            $step.Action | Should -Be 'Promoted'
            Get-RawText $target | Should -BeExactly '{"v":3}'
        }

        It '2. Get-ChildItem *.json | Update-JsonFile { $_.n++ } updates every file' {
            '{"n":1}' | Set-Content (Join-Path $dir 'a.json')
            '{"n":5}' | Set-Content (Join-Path $dir 'b.json')

            Get-ChildItem (Join-Path $dir '*.json') | Update-JsonFile { $_.n++ }

            (Get-Content (Join-Path $dir 'a.json') -Raw | ConvertFrom-Json).n | Should -Be 2
            (Get-Content (Join-Path $dir 'b.json') -Raw | ConvertFrom-Json).n | Should -Be 6
        }

        It '2. the positional path and script block still bind without the pipeline' {
            $file = Join-Path $dir 'c.json'
            '{"n":1}' | Set-Content $file
            Update-JsonFile $file { $_.n = 9 }
            (Get-Content $file -Raw | ConvertFrom-Json).n | Should -Be 9
        }

        It '3. Get-ChildItem state/*.json | Remove-AgentState binds the files to -Path through PSPath' {
            New-AgentState done1 -Name n -Type L2 -Status Completed -Root $root
            New-AgentState done2 -Name n -Type L2 -Status Completed -Root $root
            $files = Join-Path $root 'state/*.json'

            Get-ChildItem $files | Remove-AgentState -WhatIf -ErrorVariable err
            $err.Count | Should -Be 0
            @(Get-ChildItem $files).Count | Should -Be 2

            Get-ChildItem $files | Remove-AgentState
            @(Get-ChildItem $files).Count | Should -Be 0
        }

        It '4. ids bind by value: Set-AgentState, Get-Trajectory, Get-TrajectoryStep' {
            New-AgentState L2.2.1 -Name n -Type L2 -Root $root
            'L2.2.1' | Set-AgentState -Message x -Root $root
            (Get-AgentState L2.2.1 -Root $root).ProgressMessage | Should -Be 'x'

            foreach ($id in 'm1', 'm2') {
                $w = Start-Trajectory $id -AgentName a -AgentVersion 1 -Root $trajectories
                Add-TrajectoryStep $w -Source user -Message "hello $id"
                Complete-Trajectory $w
            }
            @('m1', 'm2' | Get-Trajectory -Root $trajectories).SessionId | Should -Be @('m1', 'm2')
            ('m1' | Get-TrajectoryStep -Root $trajectories).message | Should -Be 'hello m1'
        }
    }

    Context 'Missing targets are errors, never silence' {
        It '5. <command> fails with ObjectNotFound naming the missing path' -ForEach @(
            @{ command = 'Get-AgentState'; parameter = 'Root' }
            @{ command = 'Get-IncompleteAgent'; parameter = 'Root' }
            @{ command = 'Get-AgentRecoverySummary'; parameter = 'Root' }
            @{ command = 'Remove-StaleAgentState'; parameter = 'Root' }
            @{ command = 'Remove-AgentState'; parameter = 'Root'; more = @{ Status = 'Failed' } }
            @{ command = 'Get-Trajectory'; parameter = 'Root' }
            @{ command = 'Get-OrphanedTempFile'; parameter = 'Path' }
            @{ command = 'Restore-FromTempFile'; parameter = 'Path' }
        ) {
            $arguments = @{ $parameter = (Join-Path $dir 'nothere') }
            if ($more) { $arguments += $more }
            $out = & $command @arguments -ErrorVariable err -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            "$($err[0].TargetObject)" | Should -BeLike '*nothere*'
            Test-Path (Join-Path $dir 'nothere') | Should -BeFalse
        }

        It '5. the default store missing is an error for Get-IncompleteAgent too' {
            Push-Location $dir
            $saved = $env:AGENTSTATE_ROOT
            try {
                $env:AGENTSTATE_ROOT = $null
                Get-IncompleteAgent -ErrorVariable err -ErrorAction SilentlyContinue
                $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'AgentStoreNotFound' 'GetIncompleteAgentCommand')
            }
            finally { $env:AGENTSTATE_ROOT = $saved; Pop-Location }
        }

        It '5. Get-Trajectory nope is TrajectoryNotFound, and a wildcard that matches nothing is silent' {
            $w = Start-Trajectory s1 -AgentName a -AgentVersion 1 -Root $trajectories
            Complete-Trajectory $w
            Get-Trajectory nope -Root $trajectories -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'TrajectoryNotFound' 'GetTrajectoryCommand')
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'

            $none = Get-Trajectory 'nope*' -Root $trajectories -ErrorVariable err2
            $none | Should -BeNullOrEmpty
            $err2.Count | Should -Be 0
        }

        It '6. Initialize-StateFromSummary on a missing folder or one without summaries is an error and writes nothing' {
            $missing = Join-Path $dir 'nothere'
            Initialize-StateFromSummary $missing -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Test-Path $missing | Should -BeFalse

            $empty = Join-Path $dir 'empty-run'
            New-Item -ItemType Directory $empty | Out-Null
            Initialize-StateFromSummary $empty -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2[0].FullyQualifiedErrorId | Should -Be (& $Fq 'SummariesNotFound' 'InitializeStateFromSummaryCommand')
            @(Get-ChildItem $empty -Force).Count | Should -Be 0
        }

        It '7. Update-JsonFile and Set-MarkdownField on a missing file are FileNotFound and leave no lock file' {
            $new = Join-Path $dir 'missing/sub/new.json'
            Update-JsonFile $new { $_ | Add-Member a 1 } -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'FileNotFound' 'UpdateJsonFileCommand')

            $md = Join-Path $dir 'STATE.md'
            Set-MarkdownField $md -Name Status -Value done -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2[0].FullyQualifiedErrorId | Should -Be (& $Fq 'FileNotFound' 'SetMarkdownFieldCommand')

            @(Get-ChildItem $dir -Recurse -Force).Count | Should -Be 0
        }

        It '8. Export-Trajectory -Force creates the missing folders it recommends' {
            $w = Start-Trajectory s1 -AgentName a -AgentVersion 1 -Root $trajectories
            Complete-Trajectory $w
            $destination = Join-Path $dir 'exports/day/s1.json'

            Export-Trajectory -SessionId s1 -Root $trajectories $destination -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
            Test-Path $destination | Should -BeFalse

            Export-Trajectory -SessionId s1 -Root $trajectories $destination -Force | Out-Null
            (Get-Content $destination -Raw | ConvertFrom-Json).session_id | Should -Be 's1'
        }
    }

    Context 'Locks and side effects' {
        It '9. a failed Add-TrajectoryStep under -ErrorAction Stop leaves the trajectory unlocked' {
            $w = Start-Trajectory s1 -AgentName a -AgentVersion 1 -Root $trajectories
            $w.Dispose()

            { Add-TrajectoryStep -SessionId s1 -Root $trajectories -Source user -Message m -Metrics @{ prompt_tokens = 1 } -ErrorAction Stop } | Should -Throw

            Add-TrajectoryStep -SessionId s1 -Root $trajectories -Source user -Message 'next' -LockTimeout 1 -ErrorAction Stop
            (Get-TrajectoryStep -SessionId s1 -Root $trajectories).message | Should -Be 'next'
        }

        It '9. a pipeline stopped by Select-Object -First leaves the trajectory unlocked' {
            $w = Start-Trajectory s1 -AgentName a -AgentVersion 1 -Root $trajectories
            $w.Dispose()

            1..5 | ForEach-Object { @{ source = 'user'; message = "m$_" } } |
                Add-TrajectoryStep -SessionId s1 -Root $trajectories -PassThru | Select-Object -First 1 | Out-Null

            Add-TrajectoryStep -SessionId s1 -Root $trajectories -Source user -Message 'after' -LockTimeout 1 -ErrorAction Stop
            (Get-TrajectoryStep -SessionId s1 -Root $trajectories)[-1].message | Should -Be 'after'
        }

        It '10. Add-TrajectoryStep -WhatIf changes nothing on disk, the index included' {
            $w = Start-Trajectory s1 -AgentName a -AgentVersion 1 -Root $trajectories
            $w.Dispose()
            $folder = Split-Path $w.Path
            $before = Get-ChildItem $folder -Force | ForEach-Object { '{0} {1} {2}' -f $_.Name, $_.Length, $_.LastWriteTimeUtc.Ticks }

            Add-TrajectoryStep -SessionId s1 -Root $trajectories -Source user -Message m -WhatIf

            $after = Get-ChildItem $folder -Force | ForEach-Object { '{0} {1} {2}' -f $_.Name, $_.Length, $_.LastWriteTimeUtc.Ticks }
            $after | Should -Be $before
        }
    }

    Context 'Completion, views, small things' {
        It '11. completes -AgentId from $env:AGENTSTATE_ROOT and -SessionId from the trajectory root' {
            New-AgentState L2.alpha -Name a -Type L2 -Root $root
            New-AgentState L3.beta -Name b -Type L3 -Root $root
            $saved = $env:AGENTSTATE_ROOT
            try {
                $env:AGENTSTATE_ROOT = $root
                $line = 'Get-AgentState -AgentId L2'
                @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('L2.alpha')
            }
            finally { $env:AGENTSTATE_ROOT = $saved }

            foreach ($id in 'run-1', 'run-2', 'other') { (Start-Trajectory $id -AgentName a -AgentVersion 1 -Root $trajectories).Dispose() }
            $line = "Get-TrajectoryStep -Root '$trajectories' -SessionId run"
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Should -Be @('run-1', 'run-2')
        }

        It '12. Watch-Trajectory -Timeout ends with a WatchTimedOut error, and at the final line with none' {
            $w = Start-Trajectory s1 -AgentName a -AgentVersion 1 -Root $trajectories
            try {
                Watch-Trajectory -SessionId s1 -Root $trajectories -Timeout 0.2 -ErrorVariable err -ErrorAction SilentlyContinue
                $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'WatchTimedOut' 'WatchTrajectoryCommand')
                $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            }
            finally { Complete-Trajectory $w }

            Watch-Trajectory -SessionId s1 -Root $trajectories -FromStart -Timeout 60 -ErrorVariable err2 | Out-Null
            $err2.Count | Should -Be 0
        }

        It '13. Restore-FromTempFile says in words how much newer the temp is (the text -WhatIf shows)' {
            $target = Join-Path $dir 'state.json'
            [System.IO.File]::WriteAllText($target, '{"v":1}')
            [System.IO.File]::SetLastWriteTimeUtc($target, [datetime]::UtcNow.AddDays(-3).AddHours(-4))
            [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.aaaa", '{"v":2}')

            # The -WhatIf line is written to the host, out of a test's reach; it is built from the step's Reason.
            $step = Restore-FromTempFile $target -Confirm:$false

            $step.Reason | Should -Be 'the newest valid temp, written 3 days and 4 hours after the target'
        }

        It '14. Initialize-StateFromSummary -WhatIf warns as the real run does, and -PassThru emits only the file' {
            $run = Join-Path $dir '.long-run'
            New-Item -ItemType Directory (Join-Path $run 'summaries') -Force | Out-Null
            "---`nphase: 01`nplan: 01`ncompleted: 2026-02-11`n---`n" | Set-Content (Join-Path $run 'summaries/01-01-SUMMARY.md')
            "---`nphase: 02`nplan: 01`ntags: [unclosed, list`n---`n" | Set-Content (Join-Path $run 'summaries/02-01-SUMMARY.md')

            Initialize-StateFromSummary $run -WhatIf -WarningVariable whatIfWarnings -WarningAction SilentlyContinue
            @($whatIfWarnings | Where-Object { "$_" -match '02-01-SUMMARY.md' }).Count | Should -Be 1
            Test-Path (Join-Path $run 'agent-history.json') | Should -BeFalse

            $out = @(Initialize-StateFromSummary $run -PassThru -WarningAction SilentlyContinue)
            $out.Count | Should -Be 1
            $out[0] | Should -BeOfType System.IO.FileInfo
        }

        It '15. a -Root on another provider gives one message: <command> -Root <root>' -ForEach @(
            @{ command = 'Get-AgentState'; root = 'Env:/' }
            @{ command = 'Start-Trajectory'; root = 'Env:/'; more = @{ AgentName = 'a'; AgentVersion = '1' } }
            @{ command = 'Get-IncompleteAgent'; root = 'Variable:/' }
            @{ command = 'Get-Trajectory'; root = 'Variable:/' }
        ) {
            $arguments = @{ Root = $root }
            if ($more) { $arguments += $more }
            & $command @arguments -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NotFileSystemPath,*'
            "$($err[0])" | Should -Match 'is not a file-system path \(it belongs to the \w+ provider\)'
        }

        It '16. a running agent has no FinishedAt' {
            New-Item -ItemType Directory (Join-Path $root 'state') -Force | Out-Null
            '{"agent_id":"r1","status":"running","last_updated":"2025-01-01T00:00:00+00:00"}' | Set-Content (Join-Path $root 'state/r1.json')
            (Get-AgentState r1 -Root $root).FinishedAt | Should -BeNullOrEmpty
        }
    }
}
