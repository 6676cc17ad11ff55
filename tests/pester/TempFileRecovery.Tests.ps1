BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # A process id that nothing runs under, so its temps count as orphans.
    $script:DeadPid = 4000000
    while (Get-Process -Id $script:DeadPid -ErrorAction SilentlyContinue) { $script:DeadPid-- }
}

Describe 'Get-OrphanedTempFile and Restore-FromTempFile' {
    BeforeEach {
        $script:dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $script:target = Join-Path $dir 'agent-history.json'
        [System.IO.File]::WriteAllText($target, '{"v":1}')
        [System.IO.File]::SetLastWriteTimeUtc($target, [datetime]::UtcNow.AddMinutes(-10))
    }

    It 'lists a newer valid temp, an invalid one and a seed-style one' {
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.aaaa", '{"v":2}')
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.bbbb", '{"v":')
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid", '{"v":3}')

        $orphans = @(Get-OrphanedTempFile $dir)

        $orphans.Count | Should -Be 3
        $orphans | ForEach-Object { $_ | Should -BeOfType AgentState.Recovery.OrphanedTempFile }
        ($orphans | Where-Object IsSeedName).TempPath | Should -Be "$target.tmp.$DeadPid"
        ($orphans | Where-Object { -not $_.IsValid }).InvalidReason | Should -Match 'not valid JSON'
        $orphans | ForEach-Object { $_.WriterAlive | Should -BeFalse }
        Get-RawText $target | Should -BeExactly '{"v":1}'
    }

    It 'finds orphans below a folder only with -Recurse' {
        $sub = New-Item -ItemType Directory -Path (Join-Path $dir 'sub')
        [System.IO.File]::WriteAllText((Join-Path $sub "x.json.tmp.$DeadPid.cccc"), '{}')
        @(Get-OrphanedTempFile $dir).Count | Should -Be 0
        @(Get-OrphanedTempFile $dir -Recurse).Count | Should -Be 1
    }

    It 'takes folders from the pipeline' {
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.dddd", '{"v":2}')
        @(Get-Item $dir | Get-OrphanedTempFile).Count | Should -Be 1
    }

    It 'promotes the newer valid temp, removes the stale one and quarantines the invalid one' {
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.newr", '{"v":2}')
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.oldr", '{"v":0}')
        [System.IO.File]::SetLastWriteTimeUtc("$target.tmp.$DeadPid.oldr", [datetime]::UtcNow.AddMinutes(-20))
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.badr", '{"v":')

        $results = @(Restore-FromTempFile $target)

        ($results | Where-Object Action -eq 'Promoted').TempFile | Should -Be "$target.tmp.$DeadPid.newr"
        ($results | Where-Object Action -eq 'RemovedStale').TempFile | Should -Be "$target.tmp.$DeadPid.oldr"
        ($results | Where-Object Action -eq 'Quarantined').Destination | Should -Be (Join-Path $dir ".agentstate-quarantine/agent-history.json.tmp.$DeadPid.badr")
        Get-RawText $target | Should -BeExactly '{"v":2}'
        @(Get-ChildItem $dir -File).Name | Should -Be @('agent-history.json')
    }

    It 'never rolls a file back: the only valid temp, older than a valid target, is removed, not promoted' {
        # The target was written 10 minutes ago; this temp, 20 minutes ago. Promoting it would bring back older content.
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.old1", '{"v":0}')
        [System.IO.File]::SetLastWriteTimeUtc("$target.tmp.$DeadPid.old1", [datetime]::UtcNow.AddMinutes(-20))

        $result = @(Restore-FromTempFile $target)

        $result.Count | Should -Be 1
        $result[0].Action | Should -Be 'RemovedStale'
        $result[0].Reason | Should -Match 'roll the file back'
        Get-RawText $target | Should -BeExactly '{"v":1}' -Because 'the newer target must win over an older temp'
        Test-Path "$target.tmp.$DeadPid.old1" | Should -BeFalse
    }

    It 'never touches the temp of a writer that still runs' {
        [System.IO.File]::WriteAllText("$target.tmp.$PID.live", '{"v":9}')
        $result = Restore-FromTempFile $target
        $result.Action | Should -Be 'SkippedLiveWriter'
        Test-Path "$target.tmp.$PID.live" | Should -BeTrue
        Get-RawText $target | Should -BeExactly '{"v":1}'
    }

    It 'uses a -Validator script block' {
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.sign", '{"v":2}')
        $result = Restore-FromTempFile $target -Validator { (Get-Content -Raw $_) -match 'signed' } -RemoveInvalid
        $result.Action | Should -Be 'Removed'
        Get-RawText $target | Should -BeExactly '{"v":1}'
    }

    It 'changes nothing under -WhatIf' {
        [System.IO.File]::WriteAllText("$target.tmp.$DeadPid.what", '{"v":2}')
        Restore-FromTempFile $target -WhatIf
        Test-Path "$target.tmp.$DeadPid.what" | Should -BeTrue
        Get-RawText $target | Should -BeExactly '{"v":1}'
    }

    It 'reports a missing folder as PathNotFound' {
        Get-OrphanedTempFile (Join-Path $dir 'no/such/file.json') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,AgentState.Commands.GetOrphanedTempFileCommand'
    }
}
