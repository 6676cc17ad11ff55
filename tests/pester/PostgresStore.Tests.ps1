# The agent state cmdlets on a PostgreSQL store. They run against the server named by $env:AGENTSTATE_TEST_POSTGRES
# (a connection string; .ci/run starts a throwaway cluster and sets it) and are skipped, with the reason, without it.
BeforeDiscovery {
    $script:NoServer = -not $env:AGENTSTATE_TEST_POSTGRES
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Fq = { param($id, $cmd) "$id,AgentState.Commands.$cmd" }
}

Describe 'The agent state cmdlets on a PostgreSQL store' -Skip:$NoServer {
    BeforeEach {
        # A schema of its own for each test, made on first use.
        $script:schema = 'p' + [guid]::NewGuid().ToString('n').Substring(0, 16)
        $script:store = "$env:AGENTSTATE_TEST_POSTGRES;Schema=$schema"
        $env:AGENTSTATE_STORE_INIT = '1'
    }

    AfterEach {
        Remove-Item Env:AGENTSTATE_STORE_INIT -ErrorAction SilentlyContinue
        Remove-Item Env:AGENTSTATE_STORE -ErrorAction SilentlyContinue
    }

    It 'creates, changes, lists, summarises and removes agents with -Store' {
        New-AgentState a1 -Name 'First' -Type L1 -Status Running -Store $store
        New-AgentState a2 -Name 'Second' -Type L2 -Store $store
        Set-AgentState a1 -Progress 40 -Message 'halfway' -Metadata @{ shard = 3 } -Store $store

        $a1 = Get-AgentState a1 -Store $store
        $a1 | Should -BeOfType AgentState.Agents.AgentStateRecord
        $a1.Progress | Should -Be 40
        $a1.ProgressMessage | Should -Be 'halfway'
        $a1.Metadata.shard | Should -Be 3
        $a1.Root | Should -Match "^postgresql://.*schema=$schema"
        $a1.Root | Should -Not -Match 'password'

        (Get-AgentState -Store $store).AgentId | Should -Be @('a1', 'a2')
        (Get-IncompleteAgent -Store $store).AgentId | Should -Be @('a1', 'a2')
        $summary = Get-AgentRecoverySummary -Store $store
        $summary.Total | Should -Be 2
        $summary.Incomplete | Should -Be 2
        $summary.OldestIncomplete.AgentId | Should -Be 'a1'

        Remove-AgentState a2 -Store $store -Confirm:$false
        (Get-AgentState -Store $store).AgentId | Should -Be @('a1')
    }

    It 'takes the store from $env:AGENTSTATE_STORE' {
        $env:AGENTSTATE_STORE = $store
        New-AgentState e1 -Name n -Type L1
        (Get-AgentState e1).AgentId | Should -Be 'e1'
    }

    It 'reports the same errors as a folder store: <case>' -ForEach @(
        @{ case = 'an existing id'; id = 'AgentStateExists' }
        @{ case = 'a finished agent changing status'; id = 'InvalidAgentTransition' }
        @{ case = 'a missing agent'; id = 'AgentStateNotFound' }
    ) {
        New-AgentState x1 -Name n -Type L1 -Status Completed -Store $store
        switch ($case) {
            'an existing id' { New-AgentState x1 -Name again -Type L1 -Store $store -ErrorVariable err -ErrorAction SilentlyContinue; $cmd = 'NewAgentStateCommand' }
            'a finished agent changing status' { Set-AgentState x1 -Status Running -Store $store -ErrorVariable err -ErrorAction SilentlyContinue; $cmd = 'SetAgentStateCommand' }
            'a missing agent' { Get-AgentState nobody -Store $store -ErrorVariable err -ErrorAction SilentlyContinue; $cmd = 'GetAgentStateCommand' }
        }

        $err.Count | Should -Be 1 -Because 'one error for the one bad call'
        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq $id $cmd)
        (Get-AgentState x1 -Store $store).Name | Should -Be 'n'
    }

    It 'pipes records back to their own store by their Root' {
        New-AgentState p1 -Name n -Type L1 -Status Running -Store $store
        New-AgentState p2 -Name n -Type L1 -Status Running -Store $store
        Get-AgentState -Store $store | Set-AgentState -Status Completed
        (Get-AgentState -Store $store).Status | Should -Be @('Completed', 'Completed')
    }

    It 'removes only finished agents older than the limit with Remove-StaleAgentState' {
        New-AgentState old -Name n -Type L1 -Status Completed -Store $store
        New-AgentState busy -Name n -Type L1 -Status Running -Store $store
        $removed = Remove-StaleAgentState -OlderThan 0 -Store $store -Confirm:$false
        $removed.AgentId | Should -Be @('old')
        (Get-AgentState -Store $store).AgentId | Should -Be @('busy')
    }

    It 'says the schema is missing, and how to make it, without the flag' {
        Remove-Item Env:AGENTSTATE_STORE_INIT
        Get-AgentState -Store $store -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'AgentStoreNotFound' 'GetAgentStateCommand')
        $err[0].Exception.Message | Should -Match "no schema '$schema'.*agentstate db init"
    }
}

Describe 'A PostgreSQL store that cannot be reached' {
    It 'is a StoreUnavailable error naming the store, with nothing changed, and -Verbose tells each retry while it waits' -Skip:(-not $IsCoreCLR) {
        $env:AGENTSTATE_STORE_INIT = '1'
        try {
            $nowhere = "Host=/tmp/as-pg-nowhere-$([guid]::NewGuid().ToString('n'));Username=x;Password=s3cret-pw;Timeout=1;Command Timeout=1"
            # A server that does not answer is tried again for 30 s (it may be restarting), then reported.
            $said = New-AgentState a1 -Name n -Type L1 -Store $nowhere -Verbose -ErrorVariable err -ErrorAction SilentlyContinue 4>&1
            $err[0].FullyQualifiedErrorId | Should -Be 'StoreUnavailable,AgentState.Commands.NewAgentStateCommand'
            $err[0].Exception.Message | Should -Match 'Nothing was changed\.$'
            # Neither the error nor its target shows the password the connection held.
            "$($err[0].TargetObject)" | Should -Not -Match 's3cret-pw'
            $err[0].Exception.Message | Should -Not -Match 's3cret-pw'
            # While it waits, -Verbose says why the command seems to hang.
            $retries = @($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'did not answer' })
            $retries.Count | Should -BeGreaterThan 1 -Because "each retry is told on the verbose stream; it said: $($said -join ' | ')"
            $retries[0].Message | Should -Match "^The PostgreSQL store 'postgresql://x@[^']*' did not answer \(.+\); nothing was committed, so trying to .+ again in 0\.05 s\.$"
            ($said | ForEach-Object { "$_" }) -join ' ' | Should -Not -Match 's3cret-pw'
        }
        finally {
            Remove-Item Env:AGENTSTATE_STORE_INIT -ErrorAction SilentlyContinue
        }
    }
}
