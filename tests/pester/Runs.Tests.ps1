BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Fq = { param($id, $cmd) "$id,AgentState.Commands.$cmd" }
    $script:IsUnix = -not $IsWindows
}

Describe 'The run cmdlets' {
    BeforeEach {
        $script:root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    Context 'New-AgentRun' {
        It 'creates run.json in the seed''s form and the run:start event' {
            $run = New-AgentRun r1 -WorkOrderId wo-1 -SessionId s-1 -Metadata @{ owner = 'ops' } -Root $root
            $run | Should -BeOfType AgentState.Runs.RunRecord
            $run.RunId | Should -Be 'r1'
            $run.State | Should -Be 'Queued'
            $run.Metadata.owner | Should -Be 'ops'
            $json = Get-Content (Join-Path $root 'r1/run.json') -Raw | ConvertFrom-Json
            $json.workOrderId | Should -Be 'wo-1'
            $json.state | Should -Be 'queued'
            (Get-Content (Join-Path $root 'r1/events.jsonl') | ConvertFrom-Json).type | Should -Be 'run:start'
        }

        It 'gives a run without an id a GUID' {
            $run = New-AgentRun -Root $root
            [guid]::Parse($run.RunId) | Should -Not -BeNullOrEmpty
        }

        It 'refuses a bad id and an existing run with stable error ids, and writes nothing under -WhatIf' {
            New-AgentRun '../x' -Root $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'InvalidRunId' 'NewAgentRunCommand')
            New-AgentRun dup -Root $root | Out-Null
            New-AgentRun dup -Root $root -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2[0].FullyQualifiedErrorId | Should -Be (& $Fq 'RunExists' 'NewAgentRunCommand')
            New-AgentRun ghost -Root $root -WhatIf
            Test-Path (Join-Path $root 'ghost') | Should -BeFalse
        }
    }

    Context 'Save-AgentRunResult, Save-AgentRunVerification, Save-AgentRunIteration, Complete-AgentRun' {
        It 'records three iterations and the files hold every field' {
            $run = New-AgentRun r3 -WorkOrderId wo -Root $root
            foreach ($n in 1..3) {
                Save-AgentRunIteration r3 $n -Start -HarnessProfile default -LoopStrategy @{ kind = 'fixed'; left = 3 - $n } -Root $root | Out-Null
                $agent = [pscustomobject]@{
                    Stdout = "out $n`n"; Stderr = "err $n`n"; ToolCalls = @(@{ tool = 'edit'; file = 'a.ts' })
                    TokensUsed = @{ prompt = 100 * $n; completion = 10; cached = 5; cost = 0.25 }; DurationMs = 45000
                    Model = 'sonnet'; SessionId = "s-$n"; ExitCode = 0; Success = $true
                }
                $saved = $agent | Save-AgentRunResult -RunId r3 -Iteration $n -Root $root
                $saved.Success | Should -BeTrue
                $report = @{ levels = @(@{ name = 'typecheck'; passed = ($n -eq 3) }, @{ name = 'lint'; passed = $true }); custom = 'kept' }
                $verification = Save-AgentRunVerification r3 $n -Report $report -Root $root
                $verification.Passed | Should -Be ($n -eq 3)
                if ($n -lt 3) {
                    Save-AgentRunIteration r3 $n -Result failed_verification -ErrorType TypecheckFailed -ErrorMessage 'typecheck failed' -ErrorFile "verification-$n.json" -Root $root | Out-Null
                }
                else {
                    Save-AgentRunIteration r3 $n -Result passed -Root $root | Out-Null
                }
            }
            $done = Complete-AgentRun r3 -Root $root -PassThru
            $done.State | Should -Be 'Succeeded'
            $done.Result | Should -Be 'passed'

            $folder = Join-Path $root 'r3'
            (Get-ChildItem $folder -Filter *.json).Name | Sort-Object | Should -Be @('agent-1.json', 'agent-2.json', 'agent-3.json', 'iteration-1.json', 'iteration-2.json', 'iteration-3.json', 'run.json', 'verification-1.json', 'verification-2.json', 'verification-3.json')
            $a2 = Get-Content (Join-Path $folder 'agent-2.json') -Raw | ConvertFrom-Json
            $a2.stdout | Should -Be "out 2`n"
            $a2.stderr | Should -Be "err 2`n"
            $a2.toolCalls[0].tool | Should -Be 'edit'
            $a2.tokensUsed.prompt | Should -Be 200
            $a2.tokensUsed.cost | Should -Be 0.25
            $a2.durationMs | Should -Be 45000
            $a2.model | Should -Be 'sonnet'
            $a2.sessionId | Should -Be 's-2'
            $a2.exitCode | Should -Be 0
            $a2.success | Should -BeTrue
            $v1 = Get-Content (Join-Path $folder 'verification-1.json') -Raw | ConvertFrom-Json
            $v1.passed | Should -BeFalse
            $v1.failingChecks | Should -Be @('typecheck')
            $v1.custom | Should -Be 'kept'
            $i1 = Get-Content (Join-Path $folder 'iteration-1.json') -Raw | ConvertFrom-Json
            $i1.harnessProfile | Should -Be 'default'
            $i1.loopStrategy.kind | Should -Be 'fixed'
            $i1.loopStrategy.left | Should -Be 2
            $i1.result | Should -Be 'failed_verification'
            $i1.error.type | Should -Be 'TypecheckFailed'
            $i1.error.file | Should -Be 'verification-1.json'
            $r = Get-Content (Join-Path $folder 'run.json') -Raw | ConvertFrom-Json
            $r.state | Should -Be 'succeeded'
            $r.iteration | Should -Be 3
            $events = Get-AgentRunEvent r3 -Root $root
            $events.Count | Should -Be 14
            $events.Sequence | Should -Be (1..14)
            $events[0].Type | Should -Be 'run:start'
            $events[-1].Type | Should -Be 'run:complete'
            ($events | Where-Object Iteration -eq 2).Type | Should -Be @('iteration:start', 'agent:complete', 'verification:complete', 'iteration:complete')
        }

        It 'keeps the fields of a seed-form run.json when it is completed' {
            $folder = New-Item -ItemType Directory (Join-Path $root 'ac31daa7')
            Set-Content -LiteralPath (Join-Path $folder 'run.json') -Value '{"id":"ac31daa7","workOrderId":"2wTJMIsqVEVm","state":"running","result":null,"error":null,"sessionId":"2de21b33","x_tool":{"n":1}}'
            Get-AgentRun ac31daa7 -Root $root | Complete-AgentRun -ErrorType AgentCrash -ErrorMessage 'Build failed' -ExitCode 2
            $json = Get-Content (Join-Path $folder 'run.json') -Raw | ConvertFrom-Json
            $json.workOrderId | Should -Be '2wTJMIsqVEVm'
            $json.sessionId | Should -Be '2de21b33'
            $json.x_tool.n | Should -Be 1
            $json.state | Should -Be 'failed'
            $json.result | Should -Be 'failed_build'
            $json.error | Should -Be 'Build failed'
            $json.errorDetails.type | Should -Be 'AgentCrash'
            $json.errorDetails.exitCode | Should -Be 2
        }

        It 'copies large output from files into logs beside the json' {
            New-AgentRun big -Root $root | Out-Null
            $file = Join-Path $TestDrive 'big.out'
            [System.IO.File]::WriteAllText($file, ('x' * 200000))
            $saved = Save-AgentRunResult big 1 -StdoutPath $file -Root $root
            $saved.Stdout | Should -BeNullOrEmpty
            $saved.StdoutFile | Should -Be (Join-Path $root 'big/agent-1.stdout.log')
            (Get-Item $saved.StdoutFile).Length | Should -Be 200000
            Save-AgentRunResult big 2 -StdoutPath (Join-Path $TestDrive 'none.out') -Root $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'FileNotFound' 'SaveAgentRunResultCommand')
            Test-Path (Join-Path $root 'big/agent-2.json') | Should -BeFalse
        }

        It 'takes a JSON report from the pipeline and changes nothing under -WhatIf' {
            New-AgentRun v -Root $root | Out-Null
            '{"status":"failed","checks":[{"name":"unit","status":"failed"}]}' | Save-AgentRunVerification -RunId v -Iteration 1 -Root $root -WhatIf
            Test-Path (Join-Path $root 'v/verification-1.json') | Should -BeFalse
            $v = '{"status":"failed","checks":[{"name":"unit","status":"failed"}]}' | Save-AgentRunVerification -RunId v -Iteration 1 -Root $root
            $v.Passed | Should -BeFalse
            $v.FailingChecks | Should -Be @('unit')
            $v.Report.checks[0].name | Should -Be 'unit'
        }

        It 'reports a missing run as RunNotFound and a finished run as RunFinished' {
            New-AgentRun f -Root $root | Out-Null
            Save-AgentRunResult nope 1 -Root $root -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'RunNotFound' 'SaveAgentRunResultCommand')
            Complete-AgentRun f -Root $root
            Complete-AgentRun f -State Failed -Root $root -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2[0].FullyQualifiedErrorId | Should -Be (& $Fq 'RunFinished' 'CompleteAgentRunCommand')
            (Get-AgentRun f -Root $root).State | Should -Be 'Succeeded'
            Complete-AgentRun f -State Failed -Force -Root $root
            (Get-AgentRun f -Root $root).State | Should -Be 'Failed'
        }
    }

    Context 'Get-AgentRun' {
        It 'filters by wildcard, state, result and time, and reports a corrupt run.json without stopping' {
            New-AgentRun build-1 -Root $root | Out-Null
            New-AgentRun build-2 -Root $root | Out-Null
            Complete-AgentRun build-2 -ErrorType Timeout -ErrorMessage slow -Root $root
            New-AgentRun deploy-1 -State Running -Root $root | Out-Null
            $broken = New-Item -ItemType Directory (Join-Path $root 'broken')
            Set-Content -LiteralPath (Join-Path $broken 'run.json') -Value '{"id": '

            $all = Get-AgentRun -Root $root -ErrorVariable err -ErrorAction SilentlyContinue
            $all.RunId | Should -Be @('build-1', 'build-2', 'deploy-1')
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'RunCorrupt' 'GetAgentRunCommand')
            (Get-AgentRun 'build-*' -Root $root).RunId | Should -Be @('build-1', 'build-2')
            (Get-AgentRun -State Failed -Root $root -ErrorAction SilentlyContinue).RunId | Should -Be 'build-2'
            (Get-AgentRun -Result failed_timeout -Root $root -ErrorAction SilentlyContinue).RunId | Should -Be 'build-2'
            (Get-AgentRun -Since (Get-Date).AddDays(1) -Root $root -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
            Get-AgentRun 'zz*' -Root $root -ErrorAction Stop | Should -BeNullOrEmpty
            Get-AgentRun nope -Root $root -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2[0].FullyQualifiedErrorId | Should -Be (& $Fq 'RunNotFound' 'GetAgentRunCommand')
            Get-AgentRun -Root (Join-Path $TestDrive 'missing') -ErrorVariable err3 -ErrorAction SilentlyContinue
            $err3[0].FullyQualifiedErrorId | Should -Be (& $Fq 'RunStoreNotFound' 'GetAgentRunCommand')
        }

        It 'emits objects that survive ConvertTo-Json, Export-Csv and date comparisons' {
            New-AgentRun c1 -Metadata @{ a = 1 } -Root $root | Out-Null
            $run = Get-AgentRun c1 -Root $root
            ($run | ConvertTo-Json -Depth 5 | ConvertFrom-Json).RunId | Should -Be 'c1'
            $csv = Join-Path $TestDrive 'runs.csv'
            $run | Export-Csv -LiteralPath $csv
            (Import-Csv $csv).RunId | Should -Be 'c1'
            @($run | Where-Object CreatedAt -gt (Get-Date).AddMinutes(-5)).Count | Should -Be 1
            ($run | Format-Table | Out-String) | Should -Match 'c1\s+queued'
        }

        It 'completes run ids from the runs folder named by -Root' {
            New-AgentRun build-1 -Root $root | Out-Null
            New-AgentRun build-2 -Root $root | Out-Null
            New-AgentRun deploy-1 -Root $root | Out-Null
            $line = "Get-AgentRunDiagnosis -Root '$root' -RunId bu"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('build-1', 'build-2')
        }

        It 'uses $env:AGENTSTATE_RUNS when no root is given' {
            $saved = $env:AGENTSTATE_RUNS
            try {
                $env:AGENTSTATE_RUNS = $root
                New-AgentRun envrun | Out-Null
                Test-Path (Join-Path $root 'envrun/run.json') | Should -BeTrue
                (Get-AgentRun envrun).RunId | Should -Be 'envrun'
            }
            finally { $env:AGENTSTATE_RUNS = $saved }
        }
    }

    Context 'Invoke-AgentRunProcess and Get-AgentRunDiagnosis' {
        It 'captures an agent that fails and the diagnosis says what, why, where and how' -Skip:([bool]$IsWindows) {
            New-AgentRun x -Root $root | Out-Null
            $result = Invoke-AgentRunProcess x 1 /bin/sh -ArgumentList '-c', 'echo compiling; echo "error TS2322 in a.ts" >&2; exit 3' -Root $root -WarningVariable warned -WarningAction SilentlyContinue
            $result.Success | Should -BeFalse
            $result.ExitCode | Should -Be 3
            $result.Error.Type | Should -Be 'AgentCrash'
            "$warned" | Should -Match 'AgentCrash: The agent exited with code 3'
            Get-Content (Join-Path $root 'x/agent-1.stdout.log') | Should -Be 'compiling'

            $d = $result | Get-AgentRunDiagnosis
            $d | Should -BeOfType AgentState.Runs.RunDiagnosis
            $d.Iteration | Should -Be 1
            $d.ErrorType | Should -Be 'AgentCrash'
            $d.StderrTail | Should -Be @('error TS2322 in a.ts')
            $d.Files[0] | Should -Be (Join-Path $root 'x/agent-1.stderr.log')
            $d.Commands | Should -Contain "tail -n 200 '$(Join-Path $root 'x/agent-1.stderr.log')'"
            $text = $d | Out-String
            $text | Should -Match 'What: AgentCrash \(exit code 3\)'
            $text | Should -Match 'How:'
            (Get-AgentRun x -Root $root | Get-AgentRunDiagnosis).ErrorType | Should -Be 'AgentCrash'
        }

        It 'kills an agent past its timeout and passes arguments, folder and environment as given' -Skip:([bool]$IsWindows) {
            New-AgentRun t -Root $root | Out-Null
            $work = New-Item -ItemType Directory (Join-Path $TestDrive 'work')
            $ok = Invoke-AgentRunProcess t 1 /bin/sh -ArgumentList '-c', 'printf "%s|" "$1"; pwd; echo "$AGENT_X"', 'sh', 'two words' -WorkingDirectory $work -Environment @{ AGENT_X = 'from env' } -Root $root
            $ok.Success | Should -BeTrue
            $ok.Stdout | Should -Be "two words|$($work.FullName)`nfrom env`n"
            $slow = Invoke-AgentRunProcess t 2 /bin/sh -ArgumentList '-c', 'sleep 600' -Timeout 1 -Root $root -WarningAction SilentlyContinue
            $slow.Error.Type | Should -Be 'Timeout'
            (Get-AgentRunDiagnosis t -Root $root).ErrorType | Should -Be 'Timeout'
            Invoke-AgentRunProcess t 3 /bin/sh -ArgumentList '-c', 'echo hi' -Root $root -WhatIf
            Test-Path (Join-Path $root 't/agent-3.json') | Should -BeFalse
        }
    }

    Context 'Get-AgentRunEvent' {
        It 'filters by type with wildcards and ends a wait at the timeout with an error' {
            New-AgentRun e -Root $root | Out-Null
            Save-AgentRunResult e 1 -ExitCode 1 -Root $root | Out-Null
            (Get-AgentRunEvent e -Type 'agent:*' -Root $root).Data.success | Should -BeFalse
            $events = Get-AgentRunEvent e -Wait -Timeout 0.2 -Root $root -ErrorVariable err -ErrorAction SilentlyContinue
            $events.Type | Should -Be @('run:start', 'iteration:start', 'agent:complete')
            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'WaitTimedOut' 'GetAgentRunEventCommand')
        }

        It 'stops waiting at run:complete' {
            New-AgentRun w -Root $root | Out-Null
            Complete-AgentRun w -Root $root
            $events = Get-AgentRunEvent w -Wait -Root $root
            $events[-1].Type | Should -Be 'run:complete'
            ($events | Format-Table | Out-String) | Should -Match 'run:complete'
        }
    }
}
