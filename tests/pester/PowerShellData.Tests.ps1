# Issue 9: how values go from a script into JSON and how results come back. One Context per numbered item of
# the issue, each written from its reproduction, then the round trips and the value kinds of every structured parameter.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Fq = { param($id, $cmd) "$id,AgentState.Commands.$cmd" }
    # The local offset of a date, as the module writes it: +02:00, -05:00, +00:00.
    $script:LocalOffset = {
        param([datetime] $time)
        $offset = [TimeZoneInfo]::Local.GetUtcOffset($time)
        '{0}{1:hh\:mm}' -f $(if ($offset -lt [timespan]::Zero) { '-' } else { '+' }), $offset
    }
}

Describe 'PowerShell data in and out' {
    BeforeEach {
        $script:root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $script:trajectories = Join-Path $root 'trajectories'
        New-AgentState x -Name n -Type L2 -Root $root
        $script:stateFile = Join-Path $root 'state/x.json'
    }

    Context '1. Structured values from the pipeline and from other cmdlets' {
        It 'merges hashtable values that come from the pipeline ($_) into -Metadata' {
            1..3 | ForEach-Object { Set-AgentState x -Metadata @{ "k$_" = $_ } -Root $root }

            $metadata = (Get-Content $stateFile -Raw | ConvertFrom-Json).metadata
            $metadata.k1, $metadata.k2, $metadata.k3 | Should -Be @(1, 2, 3)
        }

        It 'takes a PSCustomObject literal, ConvertFrom-Json output, an Import-Csv row and Get-Date in -Metadata' {
            $csv = Join-Path $TestDrive 'row.csv'
            "ticket,owner`nCC-214,ana" | Set-Content $csv
            $row = Import-Csv $csv
            $now = Get-Date

            Set-AgentState x -Root $root -Metadata ([pscustomobject]@{ literal = 'yes' }) -ErrorAction Stop
            Set-AgentState x -Root $root -Metadata ('{"parsed": {"depth": [1, 2]}}' | ConvertFrom-Json) -ErrorAction Stop
            Set-AgentState x -Root $root -Metadata $row -ErrorAction Stop
            Set-AgentState x -Root $root -Metadata @{ at = $now } -ErrorAction Stop

            $metadata = (Get-Content $stateFile -Raw | ConvertFrom-Json -DateKind String).metadata
            $metadata.literal | Should -Be 'yes'
            $metadata.parsed.depth | Should -Be @(1, 2)
            $metadata.ticket | Should -Be 'CC-214'
            $metadata.owner | Should -Be 'ana'
            $metadata.at | Should -Be ($now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", [cultureinfo]::InvariantCulture) + (& $LocalOffset $now))
        }

        It 'takes the same values in New-AgentState -Metadata' {
            New-AgentState y -Name n -Type L2 -Root $root -Metadata ('{"a": {"b": true}}' | ConvertFrom-Json) -ErrorAction Stop

            (Get-Content (Join-Path $root 'state/y.json') -Raw | ConvertFrom-Json).metadata.a.b | Should -BeTrue
        }

        It 'refuses a value with no JSON form with UnsupportedJsonValue naming its path and type, and writes nothing' {
            $before = Get-Content $stateFile -Raw

            Set-AgentState x -Root $root -Progress 50 -Metadata @{ file = (Get-Item $stateFile) } -ErrorVariable err -ErrorAction SilentlyContinue

            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'UnsupportedJsonValue' 'SetAgentStateCommand')
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            "$($err[0])" | Should -Match ([regex]::Escape('$.metadata.file is a System.IO.FileInfo'))
            Get-Content $stateFile -Raw | Should -BeExactly $before
        }
    }

    Context '2. DateTime and DateTimeOffset step timestamps' {
        It 'replays steps read with Get-Content | ConvertFrom-Json, which makes their timestamps DateTime values' {
            $old = Join-Path $TestDrive 'old-run.jsonl'
            @(
                '{"step_id": 1, "timestamp": "2025-01-01T00:00:00Z", "source": "user", "message": "first"}'
                '{"step_id": 2, "timestamp": "2025-01-01T00:00:01Z", "source": "agent", "message": "second"}'
                '{"step_id": 3, "timestamp": "2025-01-01T00:00:02+02:00", "source": "agent", "message": "third"}'
            ) | Set-Content $old
            (Get-Content $old -First 1 | ConvertFrom-Json).timestamp | Should -BeOfType [datetime]
            $w = Start-Trajectory replay -AgentName a -AgentVersion 1 -Root $trajectories

            try { Get-Content $old | ConvertFrom-Json | Add-TrajectoryStep $w -ErrorAction Stop }
            finally { Complete-Trajectory $w }

            $steps = @(Get-TrajectoryStep -SessionId replay -Root $trajectories)
            $steps.step_id | Should -Be @(1, 2, 3)
            $steps[1].timestamp | Should -Be ([datetimeoffset]'2025-01-01T00:00:01Z')
        }

        It 'writes -InputObject @{ timestamp = [datetime] } as ISO 8601 with its offset' {
            $w = Start-Trajectory dt -AgentName a -AgentVersion 1 -Root $trajectories
            try {
                Add-TrajectoryStep $w -InputObject @{ source = 'user'; message = 'm'; timestamp = [datetime]'2025-01-01T00:00:01Z' } -ErrorAction Stop
                Add-TrajectoryStep $w -InputObject @{ source = 'user'; message = 'm'; timestamp = [datetimeoffset]'2025-01-01T02:00:01+02:00' } -ErrorAction Stop
            }
            finally { Complete-Trajectory $w }

            $lines = Get-Content $w.Path
            $lines[1] | Should -Match '"timestamp":"2025-01-01T00:00:01\.000\+00:00"'
            $lines[2] | Should -Match '"timestamp":"2025-01-01T02:00:01\.000\+02:00"'
        }
    }

    Context '3. Big numbers in -Metrics, and nothing written before every check has passed' {
        It 'appends a step with a [bigint] token count once, and sums it into final_metrics' {
            $w = Start-Trajectory big -AgentName a -AgentVersion 1 -Root $trajectories
            Add-TrajectoryStep $w -Source agent -Message m -Metrics @{ prompt_tokens = [bigint]::Parse('123456789012345678901234567890'); completion_tokens = [bigint]5 } -ErrorAction Stop
            $large = '{"prompt_tokens": 100000000000000000000}' | ConvertFrom-Json
            Add-TrajectoryStep $w -Source agent -Message m -Metrics $large -ErrorAction Stop
            $summary = Complete-Trajectory $w -PassThru

            (Get-Content $w.Path).Count | Should -Be 4
            $summary.FinalMetrics.total_prompt_tokens | Should -Be ([bigint]::Parse('123456789112345678901234567890'))
            $summary.FinalMetrics.total_completion_tokens | Should -Be 5
            Get-Content $w.Path -Tail 1 | Should -Match '"total_prompt_tokens":123456789112345678901234567890'
        }

        It 'writes nothing when a value of -Metrics has no JSON form, so a retry does not duplicate the step' {
            $w = Start-Trajectory retry -AgentName a -AgentVersion 1 -Root $trajectories
            try {
                Add-TrajectoryStep $w -Source agent -Message m -Metrics @{ prompt_tokens = 1; extra = @{ when = [System.IO.MemoryStream]::new() } } -ErrorVariable err -ErrorAction SilentlyContinue
                $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'UnsupportedJsonValue' 'AddTrajectoryStepCommand')
                "$($err[0])" | Should -Match ([regex]::Escape('$.metrics.extra.when is a System.IO.MemoryStream'))
                (Get-Content $w.Path).Count | Should -Be 1

                Add-TrajectoryStep $w -Source agent -Message m -Metrics @{ prompt_tokens = 1 } -ErrorAction Stop
            }
            finally { Complete-Trajectory $w }

            @(Get-TrajectoryStep -LiteralPath $w.Path).step_id | Should -Be @(1)
        }
    }

    Context '4. One date rule everywhere' {
        It 'writes a [datetime] in -Metadata as local time with its offset, and keeps a DateTimeOffset''s +02:00' {
            $local = [datetime]'2025-01-02T03:04:05.123'

            Set-AgentState x -Root $root -Metadata ([ordered]@{ local = $local; offset = [datetimeoffset]'2025-01-02T03:04:05.123+02:00' })

            $text = Get-Content $stateFile -Raw
            $text | Should -Match ('"local": "2025-01-02T03:04:05\.123' + [regex]::Escape((& $LocalOffset $local)) + '"')
            $text | Should -Match '"offset": "2025-01-02T03:04:05\.123\+02:00"'
        }

        It 'writes dates returned by Update-JsonFile''s script block the same way' {
            $file = Join-Path $TestDrive 'dates.json'
            '{}' | Set-Content $file

            Update-JsonFile $file { $_ | Add-Member at ([datetimeoffset]'2025-01-02T03:04:05+02:00') }

            Get-Content $file -Raw | Should -Match '"at":"2025-01-02T03:04:05\.000\+02:00"'
        }

        It 'writes the module''s own stamps in that format: an agent''s and a trajectory''s' {
            $w = Start-Trajectory stamps -AgentName a -AgentVersion 1 -Root $trajectories
            Complete-Trajectory $w

            Get-Content $stateFile -Raw | Should -Match '"created_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"'
            Get-Content $w.Path -First 1 | Should -Match '"created_at":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"'
        }
    }

    Context '5. No engine JSON type in what cmdlets emit' {
        It 'gives metadata {} and fields as an object in Get-AgentState | ConvertTo-Json' {
            $json = Get-AgentState x -Root $root | ConvertTo-Json -Depth 5 | ConvertFrom-Json -AsHashtable

            $json.Metadata | Should -BeOfType [System.Collections.IDictionary]
            $json.Metadata.Count | Should -Be 0
            $json.Fields.agent_id | Should -Be 'x'
        }

        It 'writes metadata to Export-Csv as its JSON, never as a type name' {
            Set-AgentState x -Root $root -Metadata @{ ticket = 'CC-214' }
            $csv = Join-Path $TestDrive 'out.csv'

            Get-AgentState x -Root $root | Export-Csv $csv

            $text = Get-Content $csv -Raw
            $text | Should -Not -Match 'AgentState\.Json'
            (Import-Csv $csv).Metadata | Should -Be '{"ticket":"CC-214"}'
        }

        It 'gives the writer''s header, a summary''s agent and final_metrics as objects' {
            $w = Start-Trajectory hdr -AgentName MechaCoder -AgentVersion 2.0 -Root $trajectories
            $w.Header.session_id | Should -Be 'hdr'
            $w.Header.agent.name | Should -Be 'MechaCoder'
            Complete-Trajectory $w

            $summary = Get-Trajectory hdr -Root $trajectories
            $summary.Agent.name | Should -Be 'MechaCoder'
            $summary.Header.schema_version | Should -Be 'ATIF-v1.4'
            $summary.FinalMetrics.total_steps | Should -Be 0
        }

        It 'gives Initialize-StateFromSummary''s entries as objects, and no byte[] document' {
            $run = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            New-Item -ItemType Directory (Join-Path $run 'summaries') | Out-Null
            "---`nplan: 01-01`nphase: 01`ncompleted: 2026-02-11`n---`n" | Set-Content (Join-Path $run 'summaries/01-01-SUMMARY.md')

            $result = Initialize-StateFromSummary $run

            $result.Entries.plan | Should -Be '01-01'
            $result.PSObject.Properties.Name | Should -Not -Contain 'Document'
            $result.LastCompleted | Should -BeOfType [datetimeoffset]
        }
    }

    Context '6. Timestamps and statuses have one type' {
        It 'compares Get-Trajectory''s CreatedAt with a date' {
            $w = Start-Trajectory when -AgentName a -AgentVersion 1 -Root $trajectories
            Add-TrajectoryStep $w -Source user -Message m
            Complete-Trajectory $w

            $summary = Get-Trajectory when -Root $trajectories
            $summary.CreatedAt | Should -BeOfType [datetimeoffset]
            $summary.LastStepAt | Should -BeOfType [datetimeoffset]
            @(Get-Trajectory -Root $trajectories | Where-Object CreatedAt -gt (Get-Date).AddDays(1)).Count | Should -Be 0
            @(Get-Trajectory -Root $trajectories | Where-Object CreatedAt -gt (Get-Date).AddDays(-1)).Count | Should -Be 1
            (Get-TrajectoryStep -SessionId when -Root $trajectories).timestamp | Should -BeOfType [datetimeoffset]
        }

        It 'gives Get-IncompleteAgent''s Status the type of Get-AgentState''s' {
            $incomplete = Get-IncompleteAgent -Root $root

            $incomplete.Status | Should -BeOfType [AgentState.Agents.AgentStatus]
            $incomplete.Status | Should -Be (Get-AgentState x -Root $root).Status
        }
    }

    Context '7. Seed field names, empty cells and pid 0' {
        It 'imports the seed''s columns with Import-Csv | New-AgentState, empty cells as absent values' {
            $csv = Join-Path $TestDrive 'agents.csv'
            @(
                'agent_id,agent_name,agent_type,parent_agent_id,load_percentage,estimated_duration,pid,status'
                'c1,One,L2,L1.A,25.5,14400,,running'
                'c2,Two,L3,,,,,'
            ) | Set-Content $csv

            Import-Csv $csv | New-AgentState -Root $root -ErrorAction Stop

            $c1 = Get-Content (Join-Path $root 'state/c1.json') -Raw | ConvertFrom-Json
            $c1.load_percentage | Should -Be 25.5
            $c1.estimated_duration | Should -Be 14400
            $c1.parent_agent_id | Should -Be 'L1.A'
            $c1.status | Should -Be 'running'
            $c1.pid | Should -BeNullOrEmpty
            $c1.PSObject.Properties.Name | Should -Not -Contain 'host'
            $c2 = Get-Content (Join-Path $root 'state/c2.json') -Raw | ConvertFrom-Json
            $c2.status | Should -Be 'pending'
            $c2.estimated_duration | Should -BeNullOrEmpty
            $c2.parent_agent_id | Should -BeNullOrEmpty
        }

        It 'refuses pid 0 with a clear error and writes nothing' {
            New-AgentState zero -Name n -Type L2 -ProcessId 0 -Root $root -ErrorVariable err -ErrorAction SilentlyContinue

            $err[0].FullyQualifiedErrorId | Should -Be (& $Fq 'InvalidArgument' 'NewAgentStateCommand')
            "$($err[0])" | Should -Match 'pid must be a process id of 1 or more \(it is 0\)'
            Test-Path (Join-Path $root 'state/zero.json') | Should -BeFalse
        }

        It 'applies a state file piped through ConvertFrom-Json to Set-AgentState' {
            $json = Get-Content $stateFile -Raw | ConvertFrom-Json
            $json.progress = 40
            $json.status = 'running'
            $json | Add-Member progress_message 'halfway'
            $json.metadata | Add-Member ticket 'CC-214'

            $json | Set-AgentState -Root $root -ErrorAction Stop

            $record = Get-AgentState x -Root $root
            $record.Progress | Should -Be 40
            $record.Status | Should -Be 'Running'
            $record.ProgressMessage | Should -Be 'halfway'
            $record.Metadata.ticket | Should -Be 'CC-214'
        }

        It 'round-trips Get-AgentState | Export-Csv | Import-Csv | New-AgentState into another store' {
            Set-AgentState x -Root $root -Status Running -Progress 10 -Metadata @{ ticket = 'CC-214'; n = 3 }
            New-AgentState y -Name 'Second agent' -Type L3 -ParentId x -LoadPercentage 12.5 -EstimatedDuration 600 -Root $root
            $csv = Join-Path $TestDrive 'agents.csv'
            $other = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))

            Get-AgentState -Root $root | Export-Csv $csv
            Import-Csv $csv | New-AgentState -Root $other -ErrorAction Stop

            $x = Get-AgentState x -Root $other
            $x.Status | Should -Be 'Running'
            $x.Metadata.ticket | Should -Be 'CC-214'
            $x.Metadata.n | Should -Be 3
            $y = Get-AgentState y -Root $other
            $y.Name | Should -Be 'Second agent'
            $y.ParentId | Should -Be 'x'
            $y.LoadPercentage | Should -Be 12.5
            $y.EstimatedDuration | Should -Be 600
            $y.ProcessId | Should -BeNullOrEmpty
        }

        It 'takes seed field names as aliases: <command> -<alias>' -ForEach @(
            @{ command = 'New-AgentState'; alias = 'agent_id' }, @{ command = 'New-AgentState'; alias = 'agent_name' },
            @{ command = 'New-AgentState'; alias = 'agent_type' }, @{ command = 'New-AgentState'; alias = 'parent_agent_id' },
            @{ command = 'New-AgentState'; alias = 'load_percentage' }, @{ command = 'New-AgentState'; alias = 'estimated_duration' },
            @{ command = 'New-AgentState'; alias = 'pid' }, @{ command = 'Set-AgentState'; alias = 'agent_id' },
            @{ command = 'Set-AgentState'; alias = 'pid' }, @{ command = 'Set-AgentState'; alias = 'progress_message' },
            @{ command = 'Set-AgentState'; alias = 'error' }, @{ command = 'Get-AgentState'; alias = 'agent_id' },
            @{ command = 'Get-AgentState'; alias = 'agent_type' }, @{ command = 'Remove-AgentState'; alias = 'agent_id' }
        ) {
            $aliases = (Get-Command $command).Parameters.Values.Aliases
            $aliases | Should -Contain $alias
        }
    }

    Context '8. -Encoding as Set-Content takes it' {
        It 'writes the bytes Set-Content writes for <name>' -ForEach @(
            @{ name = 'utf32'; encoding = 'utf32' }, @{ name = 'bigendianutf32'; encoding = 'bigendianutf32' },
            @{ name = 'oem'; encoding = 'oem' }, @{ name = 'code page 1252'; encoding = 1252 },
            @{ name = 'windows-1252'; encoding = 'windows-1252' }, @{ name = '[Text.Encoding]::UTF8'; encoding = [Text.Encoding]::UTF8 },
            @{ name = 'unicode'; encoding = 'unicode' }, @{ name = 'utf8BOM'; encoding = 'utf8BOM' }
        ) {
            $ours = Join-Path $TestDrive 'ours.txt'
            $theirs = Join-Path $TestDrive 'theirs.txt'

            Write-AtomicFile $ours -Value 'hé' -NoNewline -Encoding $encoding
            Set-Content $theirs -Value 'hé' -NoNewline -Encoding $encoding

            [IO.File]::ReadAllBytes($ours) | Should -Be ([IO.File]::ReadAllBytes($theirs))
        }

        It 'completes -Encoding with Set-Content''s names' {
            $ours = (TabExpansion2 'Write-AtomicFile x -Encoding ' 29).CompletionMatches.CompletionText
            $theirs = (TabExpansion2 'Set-Content x -Encoding ' 24).CompletionMatches.CompletionText

            $ours | Should -Be $theirs
        }

        It 'still refuses a character the encoding cannot hold, even from an Encoding object' {
            $file = Join-Path $TestDrive 'ascii.txt'

            Write-AtomicFile $file -Value 'naïve' -Encoding ([Text.Encoding]::ASCII) -ErrorVariable err -ErrorAction SilentlyContinue

            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
            Test-Path $file | Should -BeFalse
        }
    }

    Context '9. Written files are emitted as Get-Item emits them' {
        It 'gives Write-AtomicFile -PassThru the provider''s PSPath and the FileSystem view''s columns' {
            $file = Join-Path $TestDrive 'passthru.txt'

            $item = Write-AtomicFile $file -Value 'x' -PassThru

            $item | Should -BeOfType [System.IO.FileInfo]
            $item.PSPath | Should -Be (Get-Item $file).PSPath
            $item.PSParentPath | Should -Be (Get-Item $file).PSParentPath
            $item.PSProvider.Name | Should -Be 'FileSystem'
            ($item | Format-Table | Out-String) | Should -Be ((Get-Item $file) | Format-Table | Out-String)
        }

        It 'gives Export-Trajectory -Destination''s file the provider''s PSPath' {
            $w = Start-Trajectory exp -AgentName a -AgentVersion 1 -Root $trajectories
            Complete-Trajectory $w
            $destination = Join-Path $TestDrive 'exp.json'

            $item = Export-Trajectory -SessionId exp -Root $trajectories $destination

            $item.PSPath | Should -Be (Get-Item $destination).PSPath
            $item.Length | Should -BeGreaterThan 0
        }
    }

    Context 'Round trips of every cmdlet''s output' {
        BeforeEach {
            $w = Start-Trajectory rt -AgentName a -AgentVersion 1 -Root $trajectories -Extra @{ team = 'core' }
            Add-TrajectoryStep $w -Source agent -Message m -Metrics @{ prompt_tokens = 3; cost_usd = 0.5 }
            $script:writer = $w
            $script:run = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            New-Item -ItemType Directory (Join-Path $run 'summaries') | Out-Null
            "---`nplan: 01-01`n---`n" | Set-Content (Join-Path $run 'summaries/01-01-SUMMARY.md')
            $script:outputs = [ordered]@{
                'Get-AgentState'              = { Get-AgentState -Root $root }
                'Get-IncompleteAgent'         = { Get-IncompleteAgent -Root $root }
                'Get-AgentRecoverySummary'    = { Get-AgentRecoverySummary -Root $root }
                'Start-Trajectory'            = { $writer }
                'Add-TrajectoryStep'          = { Add-TrajectoryStep $writer -Source user -Message again -PassThru }
                'Get-TrajectoryStep'          = { Get-TrajectoryStep -LiteralPath $writer.Path }
                'Get-Trajectory'              = { Get-Trajectory -Root $trajectories }
                'Repair-Trajectory'           = { Repair-Trajectory -LiteralPath $writer.Path -WhatIf }
                'Initialize-StateFromSummary' = { Initialize-StateFromSummary $run }
                'Update-JsonFile'             = { Update-JsonFile (Join-Path $run 'agent-history.json') { $_.max_entries = 10 } -PassThru }
            }
        }
        AfterEach { $writer.Dispose() }

        It 'converts each output to JSON and back with nothing of the engine in it' {
            foreach ($name in $outputs.Keys) {
                $output = & $outputs[$name]
                $output | Should -Not -BeNullOrEmpty -Because "$name emits something"
                $json = $output | ConvertTo-Json -Depth 10 -WarningAction Stop
                $json | Should -Not -Match 'AgentState\.Json|"Key":|System\.Byte' -Because "$name's JSON has no engine type"
                { $json | ConvertFrom-Json } | Should -Not -Throw
            }
        }

        It 'writes each output to Export-Csv with no type name in a cell' {
            foreach ($name in $outputs.Keys) {
                $csv = Join-Path $TestDrive "$name.csv"
                & $outputs[$name] | Export-Csv $csv
                Get-Content $csv -Raw | Should -Not -Match 'AgentState\.Json|System\.Collections|System\.Byte' -Because "$name's CSV holds values"
            }
        }
    }

    Context 'Every kind of value in every structured parameter' {
        BeforeAll {
            $csv = Join-Path $TestDrive 'kinds.csv'
            "name,count`nrow,`n" | Set-Content $csv
            $script:Kinds = [ordered]@{
                fromPipeline = (1 | ForEach-Object { @{ v = $_ } }).v
                fromJson     = ('{"a": [1, {"b": null}]}' | ConvertFrom-Json)
                fromCsv      = (Import-Csv $csv)
                date         = [datetimeoffset]'2025-01-02T03:04:05.006+02:00'
                bigint       = [bigint]::Parse('123456789012345678901234567890')
                decimal      = 0.10000000000000000000000001d
                ordered      = [ordered]@{ z = 1; a = 2 }
                nested       = @(1, @(2, @(3, $null)), @())
                nothing      = $null
            }
            # The JSON each kind must become, exactly.
            $script:Expected = '{"fromPipeline":1,"fromJson":{"a":[1,{"b":null}]},"fromCsv":{"name":"row","count":""},' +
                '"date":"2025-01-02T03:04:05.006+02:00","bigint":123456789012345678901234567890,"decimal":0.10000000000000000000000001,' +
                '"ordered":{"z":1,"a":2},"nested":[1,[2,[3,null]],[]],"nothing":null}'
            $script:Compact = { param($text) ($text -replace '\s', '') }
        }

        It 'writes them exactly through New-AgentState -Metadata and Set-AgentState -Metadata' {
            New-AgentState kinds -Name n -Type L2 -Root $root -Metadata $Kinds -ErrorAction Stop
            $text = & $Compact ((Get-Content (Join-Path $root 'state/kinds.json') -Raw) -replace '(?s)^.*"metadata":\s*(\{.*?\}),\s*"status".*$', '$1')
            $text | Should -BeExactly $Expected

            Set-AgentState x -Root $root -Metadata $Kinds -ErrorAction Stop
            $text = & $Compact ((Get-Content $stateFile -Raw) -replace '(?s)^.*"metadata":\s*(\{.*?\}),\s*"status".*$', '$1')
            $text | Should -BeExactly $Expected
        }

        It 'writes them exactly through -Extra, -Metrics extra, -ToolCall arguments, a step object and -FinalMetrics extra' {
            $w = Start-Trajectory kinds -AgentName a -AgentVersion 1 -Root $trajectories -Extra $Kinds
            Add-TrajectoryStep $w -Source agent -Message m -Extra $Kinds -Metrics @{ extra = $Kinds } `
                -ToolCall @{ tool_call_id = 'c1'; function_name = 'f'; arguments = $Kinds } -Observation @{ results = @(@{ content = 'ok' }) } -ErrorAction Stop
            Add-TrajectoryStep $w -InputObject ([pscustomobject]@{ source = 'user'; message = 'm'; extra = $Kinds }) -ErrorAction Stop
            Complete-Trajectory $w -FinalMetrics @{ total_steps = 2; extra = $Kinds } -ErrorAction Stop

            $lines = Get-Content $w.Path
            $like = { param($text) '*' + [WildcardPattern]::Escape($text) + '*' }
            $lines[0] | Should -BeLike (& $like ('"extra":' + $Expected + '}'))
            $lines[1] | Should -BeLike (& $like ('"arguments":' + $Expected + ','))
            $lines[1] | Should -BeLike (& $like ('"metrics":{"extra":' + $Expected + '}'))
            $lines[1] | Should -BeLike ('*' + [WildcardPattern]::Escape('}},"extra":' + $Expected + '}')) # The step's own extra, last.
            $lines[2] | Should -BeLike (& $like ('"extra":' + $Expected + '}'))
            $lines[3] | Should -BeLike (& $like ('"final_metrics":{"extra":' + $Expected + ',"total_steps":2}'))
        }

        It 'writes them exactly from Update-JsonFile''s script block' {
            $file = Join-Path $TestDrive 'kinds.json'
            '{}' | Set-Content $file -NoNewline

            Update-JsonFile $file { $_ | Add-Member kinds $Kinds } -ErrorAction Stop

            Get-Content $file -Raw | Should -BeExactly ('{"kinds":' + $Expected + '}')
        }
    }
}
