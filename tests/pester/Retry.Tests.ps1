BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Invoke-WithRetry' {
    It 'records each attempt, failure and success in a run with -RunId' {
        $root = Join-Path $TestDrive 'retry-runs'
        $run = New-AgentRun -RunId 'r-retry' -Root $root
        $script:n = 0
        $out = Invoke-WithRetry { $script:n++; if ($script:n -lt 2) { throw [System.TimeoutException]::new('slow') }; 'ok' } -InitialDelay 0.01 -RunId $run.Id -Iteration 1 -Root $root
        $out | Should -Be 'ok'
        $events = @(Get-AgentRunEvent -RunId $run.Id -Root $root | Where-Object Type -like 'retry:*')
        ($events.Type -join ',') | Should -Be 'retry:attempt,retry:failure,retry:attempt,retry:success' -Because 'every attempt is recorded, in order'
        $events | ForEach-Object { $_.Iteration | Should -Be 1 }
    }

    It 'refuses a -RunId that does not exist before running anything' {
        $root = Join-Path $TestDrive 'retry-runs-missing'
        $null = New-AgentRun -RunId 'other' -Root $root
        $script:ran = $false
        { Invoke-WithRetry { $script:ran = $true } -RunId 'nope' -Root $root } | Should -Throw '*nope*'
        $script:ran | Should -BeFalse -Because 'the work must not start without the record that was asked for'
    }

    It 'returns the output of the attempt that succeeded' {
        $script:n = 0
        $out = Invoke-WithRetry { $script:n++; if ($script:n -lt 3) { throw [System.TimeoutException]::new('slow') }; "done at $attempt" } -InitialDelay 0 -MaxAttempts 5
        $out | Should -Be 'done at 3'
        $script:n | Should -Be 3
    }

    It 'shows each attempt, its error and the delay with -Verbose' {
        $script:n = 0
        $verbose = Invoke-WithRetry { $script:n++; if ($script:n -lt 2) { throw [System.IO.IOException]::new('disk busy') }; 'ok' } -InitialDelay 0.01 -NoJitter -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Attempt*' } | ForEach-Object Message
        $verbose[0] | Should -Be 'Attempt 1: starting.'
        $verbose[1] | Should -Match '^Attempt 1 failed \(InfrastructureError\): .*disk busy -- retrying in 0\.01 s\.$'
        $verbose[-1] | Should -Be 'Attempt 2: succeeded.'
    }

    It 'rethrows the last error unchanged when attempts run out' {
        $script:n = 0
        $err = $null
        try { Invoke-WithRetry { $script:n++; Write-Error "attempt $script:n" -ErrorId 'Timeout' -ErrorAction Stop } -InitialDelay 0 -MaxAttempts 3 }
        catch { $err = $_ }
        $script:n | Should -Be 3
        $err.Exception.Message | Should -Be 'attempt 3'
        $err.FullyQualifiedErrorId | Should -BeLike 'Timeout*'
    }

    It 'never retries a test failure' {
        $script:n = 0
        { Invoke-WithRetry { $script:n++; throw [AgentState.Retry.TypedFailureException]::new('TestFailed', 'red') } -InitialDelay 0 -MaxAttempts 5 -RetryIf { $true } } |
            Should -Throw 'red'
        $script:n | Should -Be 1
    }

    It 'does not retry an unknown error unless told to' {
        $script:n = 0
        { Invoke-WithRetry { $script:n++; throw 'plain' } -InitialDelay 0 } | Should -Throw 'plain'
        $script:n | Should -Be 1
        $script:n = 0
        { Invoke-WithRetry { $script:n++; throw 'flaky thing' } -InitialDelay 0 -MaxAttempts 3 -RetryIf { $_.Exception.Message -match 'flaky' } } | Should -Throw 'flaky thing'
        $script:n | Should -Be 3
        $script:n = 0
        { Invoke-WithRetry { $script:n++; throw [System.InvalidOperationException]::new('io') } -InitialDelay 0 -MaxAttempts 2 -RetryOnException ([System.InvalidOperationException]) } | Should -Throw 'io'
        $script:n | Should -Be 2
    }

    It 'refuses to be told to retry a type-check failure' {
        { Invoke-WithRetry { 1 } -RetryOn TypecheckFailed } | Should -Throw -ErrorId 'InvalidRetryPolicy,AgentState.Commands.InvokeWithRetryCommand'
    }

    It 'gives up before a wait that would pass the deadline' {
        $script:n = 0
        $verbose = try { Invoke-WithRetry { $script:n++; throw [System.TimeoutException]::new('slow') } -InitialDelay 3600 -MaxDelay 3600 -NoJitter -Deadline 60 -MaxAttempts 5 -Verbose 4>&1 } catch { }
        $script:n | Should -Be 1
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })[-1].Message | Should -Match 'deadline would pass'
    }

    It 'draws the same waits for the same -Seed' {
        $waits = foreach ($run in 1, 2) {
            $script:n = 0
            (Invoke-WithRetry { $script:n++; if ($script:n -lt 4) { throw [System.TimeoutException]::new('x') } } -InitialDelay 0.02 -MaxAttempts 4 -Seed 7 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'retrying' } | ForEach-Object Message) -join ';'
        }
        $waits[0] | Should -Not -BeNullOrEmpty
        $waits[0] | Should -Be $waits[1]
    }

    It 'stops a long wait at once when the pipeline is stopped (Ctrl+C)' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$script:ModulePath'; Invoke-WithRetry { throw [System.TimeoutException]::new('slow') } -InitialDelay 3600 -MaxDelay 7200 -NoJitter -MaxAttempts 2 -Verbose")
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddMinutes(2)
        while (-not ($ps.Streams.Verbose | Where-Object Message -match 'retrying') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        ($ps.Streams.Verbose | Where-Object Message -match 'retrying').Message | Should -Match 'retrying in 3600 s'
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Dispose()
    }
}
