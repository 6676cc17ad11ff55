BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Fq = { param($id, $cmd) "$id,AgentState.Commands.$cmd" }
}

Describe 'The agent state cmdlets' {
    BeforeEach {
        $script:root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $script:state = Join-Path $root 'state'
    }

    Context 'New-AgentState and Get-AgentState' {
        It 'writes the seed''s fields and reads them back as a typed record' {
            New-AgentState -AgentId L2.2.1 -Name 'Critical Security Engineer' -Type L2 -ParentId L1.OVERWATCH.2 -Model haiku -Status Running -Root $root
            $text = Get-Content (Join-Path $state 'L2.2.1.json') -Raw
            $json = $text | ConvertFrom-Json
            $json.agent_name | Should -Be 'Critical Security Engineer'
            $json.status | Should -Be 'running'
            # The raw text, because ConvertFrom-Json in PowerShell 7 turns ISO 8601 strings into DateTime values.
            $text | Should -Match '"created_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"'

            $record = Get-AgentState L2.2.1 -Root $root
            $record | Should -BeOfType AgentState.Agents.AgentStateRecord
            $record.Status | Should -Be 'Running'
            $record.ParentId | Should -Be 'L1.OVERWATCH.2'
            $record.Root | Should -Be $root
        }

        It 'refuses an id that is a path with InvalidAgentId: <id>' -ForEach @(@{ id = '../x' }, @{ id = 'a/b' }, @{ id = 'CON' }) {
            New-AgentState -AgentId $id -Name n -Type L2 -Root $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'InvalidAgentId' 'NewAgentStateCommand')
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            Test-Path (Join-Path $root 'x') | Should -BeFalse
        }

        It 'refuses an existing id unless -Force' {
            New-AgentState a1 -Name first -Type L2 -Root $root
            New-AgentState a1 -Name second -Type L2 -Root $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'AgentStateExists' 'NewAgentStateCommand')
            (Get-AgentState a1 -Root $root).Name | Should -Be 'first'
            New-AgentState a1 -Name second -Type L2 -Root $root -Force
            (Get-AgentState a1 -Root $root).Name | Should -Be 'second'
        }

        It 'binds rows from Import-Csv by name' {
            $csv = Join-Path $TestDrive 'agents.csv'
            "agent_id,agent_name,agent_type`nc1,One,L2`nc2,Two,L3" | Set-Content $csv
            Import-Csv $csv | New-AgentState -Root $root
            @(Get-AgentState -Root $root).AgentId | Should -Be @('c1', 'c2')
        }

        It 'filters by wildcard id, status and type' {
            New-AgentState L2.1 -Name n -Type L2 -Status Running -Root $root
            New-AgentState L2.2 -Name n -Type L2 -Status Completed -Root $root
            New-AgentState L3.1 -Name n -Type L3 -Status Running -Root $root
            @(Get-AgentState 'L2.*' -Root $root).AgentId | Should -Be @('L2.1', 'L2.2')
            @(Get-AgentState -Status Running -Root $root).AgentId | Should -Be @('L2.1', 'L3.1')
            @(Get-AgentState -Type L3 -Root $root).AgentId | Should -Be @('L3.1')
        }

        It 'reports a corrupt file with AgentStateCorrupt and goes on with the rest' {
            New-AgentState good -Name n -Type L2 -Root $root
            Set-Content (Join-Path $state 'torn.json') '{"agent_id": "torn", "sta'
            $records = @(Get-AgentState -Root $root -ErrorVariable err -ErrorAction SilentlyContinue)
            $records.AgentId | Should -Be @('good')
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'AgentStateCorrupt' 'GetAgentStateCommand')
            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $err[0].TargetObject | Should -Be (Join-Path $state 'torn.json')
            Test-Path (Join-Path $state 'torn.json') | Should -BeTrue
        }

        It 'completes -AgentId from the store named by -Root' {
            New-AgentState L2.alpha -Name a -Type L2 -Root $root
            New-AgentState L2.beta -Name b -Type L2 -Root $root
            New-AgentState L3.gamma -Name c -Type L3 -Root $root
            $line = "Set-AgentState -Root '$root' -AgentId L2."
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            @($completion.CompletionMatches.CompletionText) | Should -Be @('L2.alpha', 'L2.beta')
        }

        It 'uses $env:AGENTSTATE_ROOT, else ./agent-deployment under the PowerShell location' {
            Push-Location $TestDrive
            try {
                $saved = $env:AGENTSTATE_ROOT
                $env:AGENTSTATE_ROOT = $null
                New-AgentState d1 -Name n -Type L2
                Test-Path (Join-Path $TestDrive 'agent-deployment/state/d1.json') | Should -BeTrue
                $env:AGENTSTATE_ROOT = $root
                New-AgentState e1 -Name n -Type L2
                Test-Path (Join-Path $state 'e1.json') | Should -BeTrue
            }
            finally { $env:AGENTSTATE_ROOT = $saved; Pop-Location }
        }
    }

    Context 'Set-AgentState' {
        BeforeEach { New-AgentState w1 -Name Worker -Type L2 -Status Running -Root $root }

        It 'updates progress and message and stamps last_updated' {
            $record = Set-AgentState w1 -Progress 40 -Message 'half way' -Root $root -PassThru
            $record.Progress | Should -Be 40
            $record.ProgressMessage | Should -Be 'half way'
            $record.LastUpdated | Should -Not -BeNullOrEmpty
        }

        It 'stamps completed_at, and failed_at with the error' {
            (Set-AgentState w1 -Status Completed -Root $root -PassThru).CompletedAt | Should -Not -BeNullOrEmpty
            New-AgentState w2 -Name n -Type L2 -Status Running -Root $root
            $failed = Set-AgentState w2 -Status Failed -ErrorMessage 'boom' -Root $root -PassThru
            $failed.FailedAt | Should -Not -BeNullOrEmpty
            $failed.Error | Should -Be 'boom'
        }

        It 'refuses to leave a finished status without -Force' {
            Set-AgentState w1 -Status Completed -Root $root
            Set-AgentState w1 -Status Running -Root $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'InvalidAgentTransition' 'SetAgentStateCommand')
            $err[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
            (Get-AgentState w1 -Root $root).StatusText | Should -Be 'completed'
            Set-AgentState w1 -Status Running -Force -Root $root
            (Get-AgentState w1 -Root $root).StatusText | Should -Be 'running'
        }

        It 'rejects progress over 100 at binding' {
            { Set-AgentState w1 -Progress 101 -Root $root } | Should -Throw -ErrorId 'ParameterArgumentValidationError,AgentState.Commands.SetAgentStateCommand'
        }

        It 'keeps fields it does not know' {
            $file = Join-Path $state 'w1.json'
            $json = Get-Content $file -Raw | ConvertFrom-Json
            $json | Add-Member x_custom @{ keep = 'me' }
            $json | ConvertTo-Json | Set-Content $file
            Set-AgentState w1 -Progress 5 -Root $root
            (Get-Content $file -Raw | ConvertFrom-Json).x_custom.keep | Should -Be 'me'
        }

        It 'updates records piped from another store in that store' {
            $other = Join-Path $TestDrive 'other-store'
            New-AgentState w1 -Name Other -Type L2 -Status Running -Root $other
            Get-AgentState w1 -Root $other | Set-AgentState -Progress 77
            (Get-AgentState w1 -Root $other).Progress | Should -Be 77
            (Get-AgentState w1 -Root $root).Progress | Should -Be 0
        }

        It 'loses no update when runspaces race' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
            $module = $script:ModulePath
            $r = $root
            1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:module
                $worker = $_
                1..25 | ForEach-Object { Set-AgentState w1 -Metadata @{ "worker$worker" = $_ } -Root $using:r }
            }
            $metadata = (Get-Content (Join-Path $state 'w1.json') -Raw | ConvertFrom-Json).metadata
            1..4 | ForEach-Object { $metadata."worker$_" | Should -Be 25 }
        }
    }

    Context 'Remove-AgentState' {
        It 'removes a finished agent without asking, and an incomplete one with -Force' {
            New-AgentState done -Name n -Type L2 -Status Completed -Root $root
            New-AgentState busy -Name n -Type L2 -Status Running -Root $root
            Remove-AgentState done -Root $root
            Test-Path (Join-Path $state 'done.json') | Should -BeFalse
            Remove-AgentState busy -Root $root -Force
            Test-Path (Join-Path $state 'busy.json') | Should -BeFalse
        }

        It 'removes by status and emits what it removed with -PassThru' {
            New-AgentState f1 -Name n -Type L2 -Status Failed -Root $root
            New-AgentState c1 -Name n -Type L2 -Status Completed -Root $root
            $removed = @(Remove-AgentState -Status Failed -Root $root -PassThru)
            $removed.AgentId | Should -Be @('f1')
            @(Get-AgentState -Root $root).AgentId | Should -Be @('c1')
        }

        It 'removes a corrupt file only by -Path' {
            New-Item -ItemType Directory $state -Force | Out-Null
            Set-Content (Join-Path $state 'torn.json') '{"agent_'
            Remove-AgentState torn -Root $root -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'AgentStateCorrupt' 'RemoveAgentStateCommand')
            Test-Path (Join-Path $state 'torn.json') | Should -BeTrue
            Remove-AgentState -Path (Join-Path $state 'torn.json')
            Test-Path (Join-Path $state 'torn.json') | Should -BeFalse
        }

        It 'changes nothing under -WhatIf' {
            New-AgentState c1 -Name n -Type L2 -Status Completed -Root $root
            Remove-AgentState c1 -Root $root -WhatIf
            Test-Path (Join-Path $state 'c1.json') | Should -BeTrue
        }
    }

    Context 'Get-IncompleteAgent and Get-AgentRecoverySummary' {
        BeforeEach {
            New-AgentState me -Name Me -Type L2 -Status Running -ProcessId $PID -Root $root
            New-AgentState p1 -Name Pending -Type L3 -Root $root
            New-AgentState c1 -Name Done -Type L2 -Status Completed -Root $root
        }

        It 'lists only incomplete agents with process liveness' {
            $agents = @(Get-IncompleteAgent -Root $root)
            $agents.AgentId | Should -Be @('me', 'p1')
            ($agents | Where-Object AgentId -eq 'me').ProcessAlive | Should -BeTrue
            ($agents | Where-Object AgentId -eq 'p1').ProcessAlive | Should -BeFalse
        }

        It 'marks agents stale by -StaleAfter' {
            (Get-IncompleteAgent -Root $root -StaleAfter 3600 | Where-Object Stale).Count | Should -Be 0
            @(Get-IncompleteAgent -Root $root -StaleAfter 0 | Where-Object Stale).Count | Should -Be 2
        }

        It 'summarises counts, and the default view reads like the seed''s report' {
            Set-Content (Join-Path $state 'torn.json') '{'
            $summary = Get-AgentRecoverySummary -Root $root -WarningVariable warnings -WarningAction SilentlyContinue
            $summary.Total | Should -Be 3
            $summary.Incomplete | Should -Be 2
            $summary.Corrupt | Should -Be 1
            $summary.IncompleteByType.L3 | Should -Be 1
            $warnings.Count | Should -Be 1
            $text = $summary | Out-String
            $text | Should -Match 'AGENT COORDINATOR RECOVERY CHECK'
            $text | Should -Match 'Total Incomplete Agents: 2'
        }
    }

    Context 'Remove-StaleAgentState' {
        It 'removes finished agents older than -KeepDays and never an incomplete one' {
            New-Item -ItemType Directory $state -Force | Out-Null
            '{"agent_id":"old","status":"completed","completed_at":"2020-01-01T00:00:00+00:00"}' | Set-Content (Join-Path $state 'old.json')
            '{"agent_id":"oldrun","status":"running","last_updated":"2020-01-01T00:00:00+00:00"}' | Set-Content (Join-Path $state 'oldrun.json')
            New-AgentState fresh -Name n -Type L2 -Status Completed -Root $root

            $removed = @(Remove-StaleAgentState -Root $root -KeepDays 7)

            $removed.AgentId | Should -Be @('old')
            @(Get-ChildItem $state -Filter *.json).Name | Sort-Object | Should -Be @('fresh.json', 'oldrun.json')
        }

        It 'does not prompt by default and changes nothing under -WhatIf' {
            New-Item -ItemType Directory $state -Force | Out-Null
            '{"agent_id":"old","status":"failed","failed_at":"2020-01-01T00:00:00+00:00"}' | Set-Content (Join-Path $state 'old.json')
            Remove-StaleAgentState -Root $root -OlderThan 60 -WhatIf
            Test-Path (Join-Path $state 'old.json') | Should -BeTrue
        }
    }
}
