# The work queue cmdlets on a PostgreSQL store (-Store, -Queue or $env:AGENTSTATE_STORE naming a connection). They run
# against the server named by $env:AGENTSTATE_TEST_POSTGRES (a connection string; .ci/run starts a throwaway cluster
# and sets it) and are skipped, with the reason, without it. The -Store cases on folders run everywhere.
BeforeDiscovery {
    $script:NoServer = -not $env:AGENTSTATE_TEST_POSTGRES
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Fq = { param($id, $cmd) "$id,AgentState.Commands.$cmd" }
}

Describe 'The work queue cmdlets on a PostgreSQL store' -Skip:$NoServer {
    BeforeEach {
        # A schema of its own for each test, made on first use.
        $script:schema = 'q' + [guid]::NewGuid().ToString('n').Substring(0, 16)
        $script:store = "$env:AGENTSTATE_TEST_POSTGRES;Schema=$schema"
        $env:AGENTSTATE_STORE_INIT = '1'
    }

    AfterEach {
        Remove-Item Env:AGENTSTATE_STORE_INIT -ErrorAction SilentlyContinue
        Remove-Item Env:AGENTSTATE_STORE -ErrorAction SilentlyContinue
        Remove-Item Env:AGENTSTATE_QUEUE -ErrorAction SilentlyContinue
    }

    It 'adds, lists, positions, claims and completes items with -Store' {
        $added = Add-AgentWorkItem build-1 @{ repo = 'api'; tries = @(1, 2) } -Priority 3 -Store $store
        Add-AgentWorkItem build-2 -Store $store | Out-Null
        Add-AgentWorkItem build-3 -Priority 3 -Store $store | Out-Null

        $added | Should -BeOfType AgentState.Queue.WorkItem
        $added.State | Should -Be 'Queued'
        $added.Queue | Should -Match "^postgresql://.*schema=$schema"
        $added.Queue | Should -Not -Match 'password' -Because 'items carry the location, never a password'
        (Get-AgentWorkItem -Store $store).Id | Should -Be @('build-1', 'build-3', 'build-2') -Because 'priority 3 first, FIFO within it'
        (Get-AgentWorkItemPosition build-2 -Store $store).Position | Should -Be 3

        $item = Receive-AgentWorkItem -Lease 300 -Store $store
        $item.Id | Should -Be 'build-1'
        $item.State | Should -Be 'Claimed'
        $item.Payload.repo | Should -Be 'api'
        $item.Payload.tries | Should -Be @(1, 2)
        $item.LeaseToken | Should -Not -BeNullOrEmpty
        (Update-AgentWorkItemLease build-1 -LeaseToken $item.LeaseToken -Lease 600 -Store $store).LeaseExpires | Should -BeGreaterThan $item.LeaseExpires
        $done = Complete-AgentWorkItem build-1 -LeaseToken $item.LeaseToken -Store $store -PassThru
        $done.State | Should -Be 'Completed'
        (Get-AgentWorkItemPosition build-1 -Store $store).State | Should -Be 'Completed'
    }

    It 'pipes a claimed item to Complete-AgentWorkItem, which finds its store by the item alone' {
        Add-AgentWorkItem p1 -Store $store | Out-Null
        Add-AgentWorkItem p2 -Store $store | Out-Null
        Receive-AgentWorkItem -Store $store | Complete-AgentWorkItem
        (Get-AgentWorkItem p1 -Store $store).State | Should -Be 'Completed'
        (Get-AgentWorkItem p2 -Store $store).State | Should -Be 'Queued'
    }

    It 'pipes claimed items from Get-AgentWorkItem to Stop-AgentWorkItem, down to the dead letters' {
        Add-AgentWorkItem once -MaxAttempts 1 -Store $store | Out-Null
        Add-AgentWorkItem twice -MaxAttempts 2 -Store $store | Out-Null
        Receive-AgentWorkItem -Store $store | Out-Null
        Receive-AgentWorkItem -Store $store | Out-Null
        $failed = Get-AgentWorkItem -State Claimed -Store $store | Stop-AgentWorkItem 'flaky'
        ($failed | Sort-Object Id | ForEach-Object { "$($_.Id)=$($_.State)" }) | Should -Be @('once=DeadLetter', 'twice=Queued')
        (Get-AgentWorkItem twice -Store $store).LastError | Should -Be 'flaky'
        (Get-AgentWorkItem -State DeadLetter -Store $store).Id | Should -Be 'once'
    }

    It 'takes a connection in -Queue and in $env:AGENTSTATE_STORE' {
        Add-AgentWorkItem q1 -Queue $store | Out-Null
        $env:AGENTSTATE_STORE = $store
        Add-AgentWorkItem e1 | Out-Null
        (Get-AgentWorkItem).Id | Should -Be @('q1', 'e1')
        (Get-AgentWorkItem -Queue $store).Id | Should -Be @('q1', 'e1')
    }

    It 'changes nothing under -WhatIf' {
        Add-AgentWorkItem w1 -Store $store | Out-Null
        Add-AgentWorkItem w2 -Store $store -WhatIf
        Receive-AgentWorkItem -Store $store -WhatIf | Should -BeNullOrEmpty
        $item = Get-AgentWorkItem w1 -Store $store
        $item.State | Should -Be 'Queued'
        (Get-AgentWorkItem -Store $store).Id | Should -Be @('w1')
    }

    It 'emits items that survive ConvertTo-Json, Export-Csv and the table view' {
        Add-AgentWorkItem j1 @{ n = 1 } -Store $store | Out-Null
        $json = Get-AgentWorkItem j1 -Store $store | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $json.Id | Should -Be 'j1'
        $json.Payload.n | Should -Be 1
        $csv = Join-Path $TestDrive "$schema.csv"
        Get-AgentWorkItem -Store $store | Export-Csv -LiteralPath $csv
        (Import-Csv -LiteralPath $csv).Id | Should -Be 'j1'
        Get-AgentWorkItem -Store $store | Format-Table | Out-String | Should -Match 'j1\s+Queued'
    }

    It 'claims up to -Count items in claim order in one call, each under its own lease, and the rest with the next' {
        'c1', 'c2', 'c3', 'c4', 'c5' | ForEach-Object { Add-AgentWorkItem $_ -Store $store } | Out-Null
        $batch = @(Receive-AgentWorkItem -Count 3 -Lease 300 -Store $store)
        $batch.Count | Should -Be 3 -Because "5 items were due and -Count 3 asked for three, got: $($batch.Id -join ', ')"
        $batch.Id | Should -Be @('c1', 'c2', 'c3') -Because 'a batch comes in claim order (FIFO within a priority)'
        $batch.State | Should -Be @('Claimed', 'Claimed', 'Claimed')
        @($batch.LeaseToken | Sort-Object -Unique).Count | Should -Be 3 -Because "each claim needs its own lease token, got: $($batch.LeaseToken -join ', ')"

        $done = @($batch | Complete-AgentWorkItem -PassThru)
        $done.State | Should -Be @('Completed', 'Completed', 'Completed') -Because 'each piped claim finds its store by the item and is completed with its own token'
        @(Get-AgentWorkItem -State Completed -Store $store).Id | Should -Be @('c1', 'c2', 'c3')

        $rest = @(Receive-AgentWorkItem -Count 3 -Store $store)
        $rest.Id | Should -Be @('c4', 'c5') -Because 'the next call gets the two left: fewer than -Count, without waiting for more'
        Receive-AgentWorkItem -Count 3 -Store $store | Should -BeNullOrEmpty -Because 'nothing is due any more'
    }

    It 'refuses -Count 0 as a parameter validation error, binds a string or a [long], and claims nothing under -WhatIf' {
        'v1', 'v2', 'v3', 'v4', 'v5' | ForEach-Object { Add-AgentWorkItem $_ -Store $store } | Out-Null
        { Receive-AgentWorkItem -Count 0 -Store $store } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,AgentState.Commands.ReceiveAgentWorkItemCommand'
        Receive-AgentWorkItem -Count 5 -Store $store -WhatIf | Should -BeNullOrEmpty
        @(Get-AgentWorkItem -State Queued -Store $store).Count | Should -Be 5 -Because 'neither a refused -Count nor -WhatIf may claim'

        @(Receive-AgentWorkItem -Count ('Batch', '2' | ConvertFrom-Csv).Batch -Store $store).Id | Should -Be @('v1', 'v2') -Because 'a string "2" from a CSV asks for two'
        @(Receive-AgentWorkItem -Count ([long]2) -Store $store).Id | Should -Be @('v3', 'v4') -Because 'a [long] 2 asks for two'
    }

    It 'reports a wrong store: <case>' -ForEach @(
        @{ case = 'a malformed connection'; id = 'InvalidStore' }
        @{ case = 'an item piped with -Store naming another schema'; id = 'WorkItemNotFound' }
        @{ case = 'a missing id'; id = 'WorkItemNotFound' }
    ) {
        Add-AgentWorkItem x1 -Store $store | Out-Null
        $item = Receive-AgentWorkItem -Store $store
        switch ($case) {
            'a malformed connection' {
                Get-AgentWorkItem -Store 'postgresql://ops@db1:notaport/agents' -ErrorVariable err -ErrorAction SilentlyContinue; $cmd = 'GetAgentWorkItemCommand'
            }
            'an item piped with -Store naming another schema' {
                $other = "$env:AGENTSTATE_TEST_POSTGRES;Schema=$($schema)x"
                Add-AgentWorkItem y1 -Store $other | Out-Null
                $item | Complete-AgentWorkItem -Store $other -ErrorVariable err -ErrorAction SilentlyContinue; $cmd = 'CompleteAgentWorkItemCommand'
            }
            'a missing id' {
                Get-AgentWorkItem nobody -Store $store -ErrorVariable err -ErrorAction SilentlyContinue; $cmd = 'GetAgentWorkItemCommand'
            }
        }

        $err.Count | Should -Be 1 -Because 'one error for the one bad call'
        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq $id $cmd)
        (Get-AgentWorkItem x1 -Store $store).State | Should -Be 'Claimed' -Because 'nothing was changed'
    }

    It 'says the queue is missing, and how to make it, without the flag' {
        Remove-Item Env:AGENTSTATE_STORE_INIT
        Add-AgentWorkItem m1 -Store $store -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'WorkQueueNotFound' 'AddAgentWorkItemCommand')
        $err[0].Exception.Message | Should -Match "no schema '$schema'.*agentstate db init"
        $err[0].Exception.Message | Should -Not -Match 'Password'
    }
}

Describe 'The work queue cmdlets with -Store naming a folder' {
    BeforeEach {
        $script:queue = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $script:other = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    It 'uses the folder as -Queue would' {
        Add-AgentWorkItem f1 -Store $queue | Out-Null
        (Get-AgentWorkItem -Queue $queue).Id | Should -Be 'f1'
        (Get-AgentWorkItemPosition f1 -Store $queue).Position | Should -Be 1
    }

    It 'wins over the queue a piped item brings' {
        Add-AgentWorkItem f1 -Queue $queue | Out-Null
        Add-AgentWorkItem f1 -Queue $other | Out-Null
        $item = Receive-AgentWorkItem -Queue $queue
        $item | Complete-AgentWorkItem -Store $other -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'WorkItemLeaseLost' 'CompleteAgentWorkItemCommand') -Because "f1 in the other queue is not claimed: the item's own queue was not used"
        (Get-AgentWorkItem f1 -Queue $queue).State | Should -Be 'Claimed'
        (Get-AgentWorkItem f1 -Queue $other).State | Should -Be 'Queued'
    }

    It 'names a PostgreSQL store that cannot be loaded here as StoreBackendUnavailable' -Skip:$IsCoreCLR {
        # Windows PowerShell 5.1 only: PowerShell 7 loads the backend.
        Get-AgentWorkItem -Store 'Host=db1;Database=agents' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'StoreBackendUnavailable' 'GetAgentWorkItemCommand')
        $err[0].Exception.Message | Should -Match 'PowerShell 7'
    }
}

Describe 'A PostgreSQL queue that cannot be reached' {
    It 'is a StoreUnavailable error naming the queue without its password, with nothing changed' -Skip:(-not $IsCoreCLR) {
        $nowhere = "Host=/tmp/as-pg-nowhere-$([guid]::NewGuid().ToString('n'));Username=x;Password=s3cret-pw;Timeout=1;Command Timeout=1"
        # A server that does not answer is tried again for 30 s (it may be restarting), then reported.
        Add-AgentWorkItem a1 -Store $nowhere -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'StoreUnavailable,AgentState.Commands.AddAgentWorkItemCommand'
        $err[0].Exception.Message | Should -Match "postgresql://x@.*as-pg-nowhere.*Nothing was changed\.$"
        $err[0].Exception.Message | Should -Not -Match 's3cret-pw'
        "$($err[0].TargetObject)" | Should -Not -Match 's3cret-pw'
    }
}
