BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Fq = { param($id, $cmd) "$id,AgentState.Commands.$cmd" }
}

Describe 'The trajectory cmdlets' {
    BeforeEach {
        $script:root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    Context 'Start-Trajectory, Add-TrajectoryStep, Complete-Trajectory' {
        It 'streams a run through a writer and closes it with summed metrics' {
            $w = Start-Trajectory s1 -AgentName MechaCoder -AgentVersion 2.0 -ModelName claude -Root $root
            $w | Should -BeOfType AgentState.Trajectories.TrajectoryWriter
            $w.Path | Should -Match ([regex]::Escape('s1.atif.jsonl') + '$')
            Add-TrajectoryStep $w -Source user -Message 'Wire e2eCommands'
            $step = Add-TrajectoryStep $w -Source agent -Message 'reading' -PassThru `
                -ToolCall @{ tool_call_id = 'c1'; function_name = 'read_file'; arguments = @{ path = 'ci.yml' } } `
                -Observation @{ results = @(@{ source_call_id = 'c1'; content = 'jobs: ...' }) } `
                -Metrics @{ prompt_tokens = 100; completion_tokens = 7; cost_usd = 0.25 }
            $step.step_id | Should -Be 2
            $step.tool_calls[0].function_name | Should -Be 'read_file'
            $summary = Complete-Trajectory $w -PassThru
            $summary.Status | Should -Be 'Completed'
            $summary.StepCount | Should -Be 2
            $summary.FinalMetrics.total_prompt_tokens | Should -Be 100
            $lines = Get-Content $w.Path
            $lines.Count | Should -Be 4
            ($lines[-1] | ConvertFrom-Json).__final__ | Should -BeTrue
        }

        It 'refuses an invalid step with InvalidTrajectoryStep naming the rule, and writes nothing' {
            $w = Start-Trajectory s2 -AgentName a -AgentVersion 1 -Root $root
            try {
                Add-TrajectoryStep $w -Source user -Message m -Metrics @{ prompt_tokens = 1 } -ErrorVariable err -ErrorAction SilentlyContinue
                $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'InvalidTrajectoryStep' 'AddTrajectoryStepCommand')
                "$($err[0])" | Should -Match 'metrics is only allowed on agent steps'
                (Get-Content $w.Path).Count | Should -Be 1
            }
            finally { Complete-Trajectory $w }
        }

        It 'takes whole steps from the pipeline, hashtables or objects' {
            $w = Start-Trajectory s3 -AgentName a -AgentVersion 1 -Root $root -Durability Batch
            @(
                @{ source = 'system'; message = 'You are an agent' }
                [pscustomobject]@{ source = 'user'; message = 'hi'; extra = @{ channel = 'cli' } }
            ) | Add-TrajectoryStep $w
            $w.LastStepId | Should -Be 2
            Complete-Trajectory $w
            @(Get-TrajectoryStep -LiteralPath $w.Path).source | Should -Be @('system', 'user')
        }

        It 'appends from separate calls by -SessionId with sequential ids, and refuses steps after completion' {
            (Start-Trajectory s4 -AgentName a -AgentVersion 1 -Root $root).Dispose()
            1..3 | ForEach-Object { Add-TrajectoryStep -SessionId s4 -Root $root -Source user -Message "call $_" }
            (Get-Trajectory s4 -Root $root).StepCount | Should -Be 3
            Complete-Trajectory -SessionId s4 -Root $root
            Add-TrajectoryStep -SessionId s4 -Root $root -Source user -Message late -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'TrajectoryClosed' 'AddTrajectoryStepCommand')
        }

        It 'reports a closed writer as TrajectoryWriterClosed for each piped step, and the trajectory goes on through -SessionId' {
            $w = Start-Trajectory s5 -AgentName a -AgentVersion 1 -Root $root
            $w.Dispose()
            @(
                @{ source = 'user'; message = 'one' }
                @{ source = 'user'; message = 'two' }
            ) | Add-TrajectoryStep $w -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 2 -Because 'each piped step gets its own error, and the pipeline goes on'
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'TrajectoryWriterClosed' 'AddTrajectoryStepCommand')
            $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $err[0].TargetObject | Should -Be $w.Path
            "$($err[0])" | Should -Match 'open the trajectory again to append'
            (Get-Content -LiteralPath $w.Path).Count | Should -Be 1
            Add-TrajectoryStep -SessionId s5 -Root $root -Source user -Message again
            (Get-Trajectory s5 -Root $root).StepCount | Should -Be 1
        }

        It 'refuses a session id that is a path, and an existing session' {
            Start-Trajectory '../x' -AgentName a -AgentVersion 1 -Root $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'InvalidSessionId' 'StartTrajectoryCommand')
            Start-Trajectory dup -AgentName a -AgentVersion 1 -Root $root | Complete-Trajectory
            Start-Trajectory dup -AgentName a -AgentVersion 1 -Root $root -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2[0].FullyQualifiedErrorId | Should -Be (& $Fq 'TrajectoryExists' 'StartTrajectoryCommand')
        }
    }

    Context 'reading, repairing and exporting' {
        BeforeEach {
            $script:w = Start-Trajectory r1 -AgentName a -AgentVersion 1 -Root $root
            1..5 | ForEach-Object { Add-TrajectoryStep $w -Source @('agent', 'user')[$_ % 2] -Message "m$_" }
            $w.Dispose()
            $script:path = $w.Path
        }

        It 'lists trajectories with their status and step count' {
            $t = Get-Trajectory -Root $root
            $t.SessionId | Should -Be 'r1'
            $t.Status | Should -Be 'InProgress'
            $t.StepCount | Should -Be 5
            $t.RecoveryPlan.ResumeAtStepId | Should -Be 6
            @(Get-Trajectory -Root $root -Status Completed).Count | Should -Be 0
        }

        It 'pages and filters steps, and shows them in a step table' {
            @(Get-TrajectoryStep -LiteralPath $path -Source user).step_id | Should -Be @(1, 3, 5)
            @(Get-TrajectoryStep -LiteralPath $path -Skip 1 -First 2).step_id | Should -Be @(2, 3)
            (Get-TrajectoryStep -LiteralPath $path -First 1 | Out-String) | Should -Match 'StepId\s+Source'
        }

        It 'reports a malformed middle line with its number and a torn tail once' {
            $lines = Get-Content $path
            $lines[2] = '{broken'
            Set-Content $path ($lines -join "`n") -NoNewline
            Add-Content $path "`n{`"step_id`":6" -NoNewline
            $steps = @(Get-TrajectoryStep -LiteralPath $path -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue)
            $steps.Count | Should -Be 4
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'TrajectoryLineMalformed' 'GetTrajectoryStepCommand')
            "$($err[0])" | Should -Match 'line 3'
            $warn.Count | Should -Be 1
        }

        It 'repairs a torn tail into a .torn file, rebuilds the index and marks an abandoned run failed' {
            Add-Content $path '{"step_id":6,"sou' -NoNewline
            $plan = Repair-Trajectory -LiteralPath $path -MarkFailed -WhatIf
            $plan.Performed | Should -BeFalse -Because '-WhatIf reports the plan and changes nothing'
            $plan.TornBytes | Should -Be 17
            $plan.TornPath | Should -Be "$path.torn"
            Test-Path "$path.torn" | Should -BeFalse
            Get-Content $path -Raw | Should -Match '\{"step_id":6,"sou$'
            $result = Repair-Trajectory -LiteralPath $path -MarkFailed
            $result.Performed | Should -BeTrue
            Get-Content "$path.torn" -Raw | Should -BeExactly '{"step_id":6,"sou'
            (Get-Trajectory -LiteralPath $path).Status | Should -Be 'Failed'
        }

        It 'exports one valid ATIF document to a file or as a string' {
            Complete-Trajectory -Path $path
            $json = Export-Trajectory -LiteralPath $path
            $doc = $json | ConvertFrom-Json
            $doc.schema_version | Should -Be 'ATIF-v1.4'
            $doc.steps.Count | Should -Be 5
            $doc.final_metrics.total_steps | Should -Be 5
            $file = Export-Trajectory -LiteralPath $path -Destination (Join-Path $TestDrive 'out.json')
            $file | Should -BeOfType System.IO.FileInfo
            (Get-Content $file -Raw | ConvertFrom-Json).session_id | Should -Be 'r1'
        }

        It 'watches a trajectory until its final line' {
            # Start-Job is in every PowerShell 7. -FromStart makes the result independent of when the job's steps land
            # relative to the watch: every step, old and new, then the end at the final line.
            $job = Start-Job -ScriptBlock {
                param($module, $p)
                Import-Module $module
                1..3 | ForEach-Object { Add-TrajectoryStep -Path $p -Source user -Message "live $_" }
                Complete-Trajectory -Path $p | Out-Null
            } -ArgumentList (Resolve-Path $script:ModulePath).Path, $path
            try {
                $seen = @(Watch-Trajectory -LiteralPath $path -FromStart -Timeout 120 -ErrorVariable timedOut)
                $timedOut | Should -BeNullOrEmpty -Because 'the watch must end at the final line, not at its timeout'
                $seen.step_id | Should -Be @(1, 2, 3, 4, 5, 6, 7, 8)
                $seen[-1].message | Should -Be 'live 3'
            }
            finally { $job | Wait-Job | Receive-Job -ErrorAction Stop; $job | Remove-Job }
        }
    }
}
