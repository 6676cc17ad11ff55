BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Fq = { param($id, $cmd) "$id,AgentState.Commands.$cmd" }
    $script:VictimText = "root:secret:19000:0:99999:7:::`n"
}

# Links planted in a folder an agent can write must never redirect what the module writes, moves or deletes.
# The victim is a file the test owns; every test checks it byte for byte.
Describe 'Planted links in a shared folder' {
    BeforeEach {
        $script:dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $script:outside = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $dir, $outside | Out-Null
        $script:victim = Join-Path $outside 'victim'
        [System.IO.File]::WriteAllText($victim, $VictimText)
    }

    AfterEach {
        Get-RawText $victim | Should -BeExactly $VictimText -Because 'nothing may be written through a planted link'
        @(Get-ChildItem -LiteralPath $outside -Force).Name | Should -Be @('victim') -Because 'nothing may be moved or created outside the tree'
    }

    It 'Update-JsonFile refuses a lock file that is a link, with UnsafePath and SecurityError' {
        $file = Join-Path $dir 'x.json'
        [System.IO.File]::WriteAllText($file, '{"n":1}')
        New-Item -ItemType SymbolicLink -Path "$file.lock" -Target $victim | Out-Null

        Update-JsonFile -LiteralPath $file { $_.n = 2 } -ErrorVariable err -ErrorAction SilentlyContinue

        $err.Count | Should -Be 1 -Because 'the refusal is an error, never silence'
        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'UnsafePath' 'UpdateJsonFileCommand')
        $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $err[0].TargetObject | Should -Be "$file.lock"
        $err[0].Exception.Message | Should -Match 'symbolic link'
        Get-RawText $file | Should -BeExactly '{"n":1}'
    }

    It 'Set-MarkdownField refuses a lock file that is a link and changes nothing' {
        $file = Join-Path $dir 'STATE.md'
        [System.IO.File]::WriteAllText($file, "Status: running`n")
        New-Item -ItemType SymbolicLink -Path "$file.lock" -Target $victim | Out-Null

        Set-MarkdownField -LiteralPath $file -Name Status -Value complete -ErrorVariable err -ErrorAction SilentlyContinue

        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'UnsafePath' 'SetMarkdownFieldCommand')
        Get-RawText $file | Should -BeExactly "Status: running`n"
    }

    It 'New-AgentState -Force does not write through a state file that is a link' {
        $state = Join-Path $dir 'state'
        New-Item -ItemType Directory $state | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $state 'L2.2.1.json') -Target $victim | Out-Null

        New-AgentState L2.2.1 -Name Engineer -Type L2 -Root $dir -Force -ErrorVariable err -ErrorAction SilentlyContinue

        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'UnsafePath' 'NewAgentStateCommand')
        (Get-Item -LiteralPath (Join-Path $state 'L2.2.1.json')).LinkTarget | Should -Be $victim
    }

    It 'Get-AgentState reports a state file that is a link as corrupt and goes on with the rest' {
        New-AgentState good -Name Engineer -Type L2 -Root $dir
        New-Item -ItemType SymbolicLink -Path (Join-Path $dir 'state/planted.json') -Target $victim | Out-Null

        $records = @(Get-AgentState -Root $dir -ErrorVariable err -ErrorAction SilentlyContinue)

        $records.AgentId | Should -Be @('good')
        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'AgentStateCorrupt' 'GetAgentStateCommand')
        $err[0].Exception.Message | Should -Match 'symbolic link'
    }

    It 'Remove-StaleAgentState neither reads nor deletes through a state file that is a link' {
        New-Item -ItemType Directory (Join-Path $dir 'state') | Out-Null
        $link = Join-Path $dir 'state/old.json'
        New-Item -ItemType SymbolicLink -Path $link -Target $victim | Out-Null

        Remove-StaleAgentState -Root $dir -KeepDays 0 -ErrorAction SilentlyContinue

        (Get-Item -LiteralPath $link).LinkTarget | Should -Be $victim
    }

    It 'Restore-FromTempFile refuses a quarantine folder that is a link and moves nothing out of the tree' {
        $target = Join-Path $dir 'state.json'
        [System.IO.File]::WriteAllText($target, '{"v":1}')
        $temp = "$target.tmp.999999.abcdef1234"
        [System.IO.File]::WriteAllText($temp, '{"v":')
        New-Item -ItemType SymbolicLink -Path (Join-Path $dir '.agentstate-quarantine') -Target $outside | Out-Null

        Restore-FromTempFile -LiteralPath $dir -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'UnsafePath' 'RestoreFromTempFileCommand')
        Get-RawText $temp | Should -BeExactly '{"v":'
    }

    It 'Write-AtomicFile still writes through a link the user names, as documented' {
        $link = Join-Path $dir 'chosen.txt'
        New-Item -ItemType SymbolicLink -Path $link -Target $victim | Out-Null
        $before = Get-RawText $victim

        'new content' | Write-AtomicFile -LiteralPath $link -NoNewline

        Get-RawText $victim | Should -BeExactly 'new content'
        [System.IO.File]::WriteAllText($victim, $before)   # for the AfterEach check of the other tests' rule
    }
}
