BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'The work queue cmdlets' {
    BeforeEach {
        $script:queue = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    Context 'Add-AgentWorkItem' {
        It 'queues a typed item with its payload as objects' {
            $item = Add-AgentWorkItem build-1 @{ repo = 'api'; tries = @(1, 2) } -Priority 3 -Queue $queue
            $item.GetType().FullName | Should -Be 'AgentState.Queue.WorkItem'
            $item.State | Should -Be 'Queued'
            $item.Priority | Should -Be 3
            $item.Payload.repo | Should -Be 'api'
            $item.Payload.tries | Should -Be @(1, 2)
            (Get-AgentWorkItem build-1 -Queue $queue).Payload.repo | Should -Be 'api'
        }

        It 'binds orders from objects by property name' {
            @([pscustomobject]@{ Id = 'a'; Priority = 1 }, [pscustomobject]@{ Id = 'b'; Priority = 9 }) | Add-AgentWorkItem -Queue $queue | Out-Null
            (Get-AgentWorkItem -Queue $queue).Id | Should -Be @('b', 'a')
        }

        It 'changes nothing under -WhatIf' {
            Add-AgentWorkItem a -Queue $queue | Out-Null
            Add-AgentWorkItem b -Queue $queue -WhatIf
            (Get-AgentWorkItem -Queue $queue).Id | Should -Be @('a')
        }

        It 'reports a full queue as WorkQueueFull and a duplicate id as WorkItemExists' {
            Add-AgentWorkItem a -Queue $queue -Capacity 1 | Out-Null
            Add-AgentWorkItem b -Queue $queue -Capacity 1 -ErrorVariable full -ErrorAction SilentlyContinue
            $full[0].FullyQualifiedErrorId | Should -BeLike 'WorkQueueFull,*'
            $full[0].Exception.Message | Should -Match 'is full'
            Add-AgentWorkItem a -Queue $queue -ErrorVariable dup -ErrorAction SilentlyContinue
            $dup[0].FullyQualifiedErrorId | Should -BeLike 'WorkItemExists,*'
        }

        It 'refuses a bad id as InvalidArgument and writes nothing' {
            Add-AgentWorkItem '../x' -Queue $queue -ErrorVariable bad -ErrorAction SilentlyContinue
            $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
            Test-Path -LiteralPath $queue | Should -BeFalse
        }

        It 'resolves -Queue against the PowerShell location and defaults to ./.agentstate/queue' {
            Push-Location $TestDrive
            try {
                $name = [guid]::NewGuid().ToString('n')
                New-Item -ItemType Directory $name | Out-Null
                Set-Location $name
                $env:AGENTSTATE_QUEUE = $null
                Add-AgentWorkItem here | Out-Null
                Test-Path -LiteralPath (Join-Path $TestDrive "$name/.agentstate/queue/ready") | Should -BeTrue
            }
            finally { Pop-Location }
        }
    }

    Context 'Get-AgentWorkItem and Get-AgentWorkItemPosition' {
        BeforeEach {
            'a', 'b', 'c' | ForEach-Object { Add-AgentWorkItem $_ -Queue $queue } | Out-Null
            Add-AgentWorkItem urgent -Priority 9 -Queue $queue | Out-Null
        }

        It 'gives positions in claim order, from ids down the pipeline' {
            ('urgent', 'a', 'c' | Get-AgentWorkItemPosition -Queue $queue).Position | Should -Be @(1, 2, 4)
        }

        It 'gives positions for piped items' {
            (Get-AgentWorkItem -Queue $queue | Get-AgentWorkItemPosition).Position | Should -Be @(1, 2, 3, 4)
        }

        It 'reports a missing id as ObjectNotFound and a wildcard matching nothing silently' {
            Get-AgentWorkItem nobody -Queue $queue -ErrorVariable missing -ErrorAction SilentlyContinue
            $missing[0].FullyQualifiedErrorId | Should -BeLike 'WorkItemNotFound,*'
            $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Get-AgentWorkItem 'zz*' -Queue $queue -ErrorVariable none | Should -BeNullOrEmpty
            $none | Should -BeNullOrEmpty
            Get-AgentWorkItemPosition nobody -Queue $queue -ErrorVariable gone -ErrorAction SilentlyContinue
            $gone[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'filters by state and survives ConvertTo-Json, Export-Csv and Where-Object' {
            Receive-AgentWorkItem -Queue $queue | Out-Null
            (Get-AgentWorkItem -State Claimed -Queue $queue).Id | Should -Be 'urgent'
            $json = Get-AgentWorkItem a -Queue $queue | ConvertTo-Json -Depth 4 | ConvertFrom-Json
            $json.Id | Should -Be 'a'
            $csv = Join-Path $TestDrive 'items.csv'
            Get-AgentWorkItem -Queue $queue | Export-Csv -LiteralPath $csv
            (Import-Csv -LiteralPath $csv).Id | Should -Be @('a', 'b', 'c', 'urgent')
            @(Get-AgentWorkItem -Queue $queue | Where-Object EnqueuedAt -gt (Get-Date).AddMinutes(-5)).Count | Should -Be 4
        }

        It 'shows items in a table with the view' {
            $text = Get-AgentWorkItem -Queue $queue | Format-Table | Out-String
            $text | Should -Match 'Id\s+State\s+Priority\s+Seq\s+Attempts'
            $text | Should -Match 'urgent\s+Queued\s+9'
        }

        It 'is a WorkQueueNotFound error for a queue that does not exist' {
            Get-AgentWorkItem -Queue (Join-Path $TestDrive 'nothing-here') -ErrorVariable nq -ErrorAction SilentlyContinue
            $nq[0].FullyQualifiedErrorId | Should -BeLike 'WorkQueueNotFound,*'
        }
    }

    Context 'Receive, renew, complete and fail' {
        It 'claims each item once, held by this process, and completes it' {
            Add-AgentWorkItem job -Queue $queue | Out-Null
            $item = Receive-AgentWorkItem -Queue $queue -Lease 60
            $item.State | Should -Be 'Claimed'
            $item.HolderProcessId | Should -Be $PID
            $item.Attempts | Should -Be 1
            Receive-AgentWorkItem -Queue $queue | Should -BeNullOrEmpty
            ($item | Complete-AgentWorkItem -PassThru).State | Should -Be 'Completed'
            (Get-AgentWorkItem job -Queue $queue).State | Should -Be 'Completed'
        }

        It 'renews a lease to a later expiry' {
            Add-AgentWorkItem job -Queue $queue | Out-Null
            $item = Receive-AgentWorkItem -Queue $queue -Lease 10
            $renewed = $item | Update-AgentWorkItemLease -Lease 600
            $renewed.LeaseExpires | Should -BeGreaterThan $item.LeaseExpires.AddSeconds(500)
        }

        It 'fails an item back into the queue, then into the dead letters, with its last error' {
            Add-AgentWorkItem job -MaxAttempts 2 -Queue $queue | Out-Null
            $first = Receive-AgentWorkItem -Queue $queue
            ($first | Stop-AgentWorkItem -ErrorMessage 'network down').State | Should -Be 'Queued'
            $second = Receive-AgentWorkItem -Queue $queue
            $second.LastError | Should -Be 'network down'
            ($second | Fail-AgentWorkItem 'still down').State | Should -Be 'DeadLetter'
            (Get-AgentWorkItem -State DeadLetter -Queue $queue).LastError | Should -Be 'still down'
        }

        It 'holds back a failed item for -RetryAfter' {
            Add-AgentWorkItem job -Queue $queue | Out-Null
            Receive-AgentWorkItem -Queue $queue | Stop-AgentWorkItem -ErrorMessage 'later' -RetryAfter 3600 | Out-Null
            Receive-AgentWorkItem -Queue $queue | Should -BeNullOrEmpty
            (Get-AgentWorkItem job -Queue $queue).NotBefore | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(50))
        }

        It 'reports a lost claim as WorkItemLeaseLost and changes nothing' {
            Add-AgentWorkItem job -Queue $queue | Out-Null
            $item = Receive-AgentWorkItem -Queue $queue
            Complete-AgentWorkItem job -LeaseToken 'not-the-token' -Queue $queue -ErrorVariable lost -ErrorAction SilentlyContinue
            $lost[0].FullyQualifiedErrorId | Should -BeLike 'WorkItemLeaseLost,*'
            (Get-AgentWorkItem job -Queue $queue).State | Should -Be 'Claimed'
        }

        It 'changes nothing under -WhatIf' {
            Add-AgentWorkItem job -Queue $queue | Out-Null
            Receive-AgentWorkItem -Queue $queue -WhatIf | Should -BeNullOrEmpty
            (Get-AgentWorkItem job -Queue $queue).State | Should -Be 'Queued'
            $item = Receive-AgentWorkItem -Queue $queue
            $item | Complete-AgentWorkItem -WhatIf
            $item | Stop-AgentWorkItem -ErrorMessage x -WhatIf
            $item | Update-AgentWorkItemLease -WhatIf
            (Get-AgentWorkItem job -Queue $queue).LeaseExpires | Should -Be $item.LeaseExpires
        }

        It 'returns the item of a holder process that died' {
            Add-AgentWorkItem job -Queue $queue | Out-Null
            $child = Start-Process pwsh -ArgumentList '-NoProfile', '-Command', 'exit 0' -PassThru
            $child.WaitForExit()
            # Claimed on behalf of a process that is gone: the next claim takes it back.
            (Receive-AgentWorkItem -Queue $queue -HolderProcessId $child.Id).Attempts | Should -Be 1
            $again = Receive-AgentWorkItem -Queue $queue
            $again.Id | Should -Be 'job'
            $again.Attempts | Should -Be 2
            $again.LastError | Should -Match "process $($child.Id), died"
        }

        It 'stops a -Wait at once when the pipeline is stopped' {
            New-Item -ItemType Directory $queue | Out-Null
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$script:ModulePath'; Receive-AgentWorkItem -Queue '$queue' -Wait 3600")
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddMinutes(2)
            while ($ps.InvocationStateInfo.State -ne 'Running' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Start-Sleep -Milliseconds 500
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Dispose()
        }
    }

    Context 'Receive-AgentWorkItem -Count' {
        BeforeEach {
            'a', 'b', 'c', 'd', 'e' | ForEach-Object { Add-AgentWorkItem $_ -Queue $queue } | Out-Null
        }

        It 'claims up to -Count items in claim order, each under its own lease, and leaves the rest for the next call' {
            $batch = @(Receive-AgentWorkItem -Count 3 -Lease 300 -Queue $queue)
            $batch.Count | Should -Be 3 -Because "5 items were due and -Count 3 asked for three, got: $($batch.Id -join ', ')"
            $batch.Id | Should -Be @('a', 'b', 'c') -Because 'a batch comes in claim order (FIFO within a priority)'
            $batch | ForEach-Object { $_ | Should -BeOfType AgentState.Queue.WorkItem }
            $batch.State | Should -Be @('Claimed', 'Claimed', 'Claimed')
            $batch.HolderProcessId | Should -Be @($PID, $PID, $PID) -Because 'this session holds every claim of the batch'
            @($batch.LeaseToken | Sort-Object -Unique).Count | Should -Be 3 -Because "each claim needs its own lease token, got: $($batch.LeaseToken -join ', ')"

            $done = @($batch | Complete-AgentWorkItem -PassThru)
            $done.Id | Should -Be @('a', 'b', 'c') -Because 'each piped claim is completed with its own token'
            $done.State | Should -Be @('Completed', 'Completed', 'Completed')
            @(Get-AgentWorkItem -State Completed -Queue $queue).Id | Should -Be @('a', 'b', 'c')

            $rest = @(Receive-AgentWorkItem -Count 3 -Queue $queue)
            $rest.Id | Should -Be @('d', 'e') -Because 'the next call gets the two left: fewer than -Count, without waiting for more'
            Receive-AgentWorkItem -Count 3 -Queue $queue | Should -BeNullOrEmpty -Because 'nothing is due any more'
        }

        It 'refuses -Count <_> as a parameter validation error and claims nothing' -ForEach @(0, 1001, -1) {
            { Receive-AgentWorkItem -Count $_ -Queue $queue } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,AgentState.Commands.ReceiveAgentWorkItemCommand'
            @(Get-AgentWorkItem -State Queued -Queue $queue).Count | Should -Be 5 -Because "a refused -Count $_ must not claim anything"
        }

        It 'binds -Count from <Kind>' -ForEach @(
            @{ Kind = 'a string, as a CSV gives it'; Value = ('Batch', '2' | ConvertFrom-Csv).Batch }
            @{ Kind = 'a [long]'; Value = [long]2 }
            @{ Kind = 'a [double] with no fraction'; Value = [double]2 }
        ) {
            $batch = @(Receive-AgentWorkItem -Count $Value -Queue $queue)
            $batch.Id | Should -Be @('a', 'b') -Because "-Count $Value (a $($Value.GetType().Name)) asks for two items"
        }

        It 'emits the items that are due at once under a long -Wait, waiting for the first only' {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$script:ModulePath'; Receive-AgentWorkItem -Count 10 -Wait 3600 -Queue '$queue' -Verbose")
                $async = $ps.BeginInvoke()
                $async.AsyncWaitHandle.WaitOne([TimeSpan]::FromMinutes(2)) | Should -BeTrue -Because 'five items were due: -Count 10 must not wait the hour for five more'
                $batch = @($ps.EndInvoke($async))
                $batch.Id | Should -Be @('a', 'b', 'c', 'd', 'e')
                @($ps.Streams.Verbose | ForEach-Object Message) -join "`n" | Should -Match '5 of the 10 items asked for were due'
            }
            finally {
                if ($ps.InvocationStateInfo.State -eq 'Running') { $ps.Stop() }
                $ps.Dispose()
            }
        }

        It 'claims nothing under -WhatIf and says how many it would claim' {
            Receive-AgentWorkItem -Count 5 -Queue $queue -WhatIf | Should -BeNullOrEmpty
            @(Get-AgentWorkItem -State Queued -Queue $queue).Count | Should -Be 5 -Because '-WhatIf must not claim'

            # The What-if text goes to the host: run it in a child pwsh to read it.
            $text = & pwsh -NoProfile -NonInteractive -Command "Import-Module '$script:ModulePath'; Receive-AgentWorkItem -Count 5 -Queue '$queue' -WhatIf" 2>&1 | Out-String
            $LASTEXITCODE | Should -Be 0 -Because "the child pwsh said:`n$text"
            $text | Should -Match 'Claim up to 5 work items' -Because "the What-if text should say how many, it was:`n$text"
            @(Get-AgentWorkItem -State Queued -Queue $queue).Count | Should -Be 5 -Because '-WhatIf in the child must not claim either'
        }
    }
}
