# AgentState beside a module built against another YamlDotNet (powershell-yaml bundles YamlDotNet 11; the engine
# uses 16): both work in one session in either load order, and neither changes what the other loads. Each order
# runs in a fresh pwsh, because an assembly once loaded stays loaded for the life of the process.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $repo = Join-Path $PSScriptRoot '../..'
    $script:Fixture = Join-Path $repo 'out/fixtures/YamlDotNet11Module/YamlDotNet11Module.dll'
    if (-not (Test-Path -LiteralPath $script:Fixture)) {
        # Built with the test project (dotnet build AgentState.sln); built here when only the module was.
        & dotnet build (Join-Path $repo 'tests/fixtures/YamlDotNet11Module/YamlDotNet11Module.csproj') -c Release --nologo -v quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "dotnet build of the YamlDotNet 11 fixture module failed with exit code $LASTEXITCODE." }
    }

    $script:Pwsh = (Get-Process -Id $PID).Path
    # What the child session reports, as JSON on its last line; any error ends it with exit code 1.
    $script:Child = Join-Path $TestDrive 'child.ps1'
    Set-Content -LiteralPath $script:Child -Value @'
param([string] $Order, [string] $AgentState, [string] $Fixture, [string] $Run)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
function Get-LoadedYamlDotNet {
    @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object {
        '{0} in {1}' -f $_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name
    } | Sort-Object)
}
$report = [ordered]@{}
if ($Order -eq 'YamlDotNet 11 first') {
    Import-Module $Fixture
    $report.FixtureBefore = (ConvertFrom-FixtureYaml "first: 1").YamlDotNetVersion
    Import-Module $AgentState
}
else {
    Import-Module $AgentState
    # AgentState's YamlDotNet is not in the default context, where another module's types are looked up.
    $report.YamlTypeBeforeFixture = [string]('YamlDotNet.RepresentationModel.YamlStream' -as [type])
    Import-Module $Fixture
}
$result = Initialize-StateFromSummary $Run
$history = Get-Content -Raw -LiteralPath (Join-Path $Run 'agent-history.json') | ConvertFrom-Json
$entry = $history.entries | Where-Object plan -eq '01-01'
$parsed = ConvertFrom-FixtureYaml "name: fixture`ncount: 2"
$report.Action = [string]$result.Action
$report.Phase = $entry.phase
$report.Tags = @($entry.tags)
$report.FixtureYamlDotNet = $parsed.YamlDotNetVersion
$report.FixtureValues = '{0}/{1}' -f $parsed.Values['name'], $parsed.Values['count']
$report.ScriptsSeeYamlDotNet = [YamlDotNet.RepresentationModel.YamlStream].Assembly.GetName().Version.ToString()
$report.EngineContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([AgentState.History.FrontMatter].Assembly).Name
$report.LoadedYamlDotNet = Get-LoadedYamlDotNet
$report | ConvertTo-Json -Compress
'@

    function Invoke-Order([string] $Order) {
        $run = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path (Join-Path $run 'summaries') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $run 'summaries/01-01-SUMMARY.md') -Value "---`nphase: 01-foundation`nplan: 01`ntags: [python, jsonl]`n---`n`n# Summary"
        $output = & $script:Pwsh -NoProfile -NonInteractive -File $script:Child -Order $Order -AgentState $script:ModulePath -Fixture $script:Fixture -Run $run 2>&1
        $text = ($output | ForEach-Object { "$_" }) -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because "the child pwsh ($Order) said:`n$text"
        [pscustomobject]@{ Report = ($output | Select-Object -Last 1 | ForEach-Object { "$_" } | ConvertFrom-Json); Text = $text }
    }
}

Describe 'AgentState beside a module built against YamlDotNet 11' {
    It 'both work when the YamlDotNet 11 module is imported first' {
        $child = Invoke-Order 'YamlDotNet 11 first'
        $r = $child.Report

        $r.FixtureBefore | Should -Be '11.0.0.0' -Because $child.Text
        $r.Action | Should -Be 'Rebuilt' -Because 'Initialize-StateFromSummary parses the front matter with the engine''s own YamlDotNet'
        $r.Phase | Should -Be '01-foundation'
        $r.Tags | Should -Be @('python', 'jsonl')
        $r.FixtureYamlDotNet | Should -Be '11.0.0.0' -Because 'the fixture keeps its own YamlDotNet after AgentState is imported'
        $r.FixtureValues | Should -Be 'fixture/2'
        $r.ScriptsSeeYamlDotNet | Should -Be '11.0.0.0' -Because 'scripts still see the other module''s YamlDotNet types'
        $r.EngineContext | Should -Be 'AgentState'
        $r.LoadedYamlDotNet | Should -Be @('11.0.0.0 in Default', '16.0.0.0 in AgentState')
    }

    It 'both work when AgentState is imported first' {
        $child = Invoke-Order 'AgentState first'
        $r = $child.Report

        $r.YamlTypeBeforeFixture | Should -BeNullOrEmpty -Because "AgentState must not put its YamlDotNet where other modules look ($($child.Text))"
        $r.Action | Should -Be 'Rebuilt'
        $r.Phase | Should -Be '01-foundation'
        $r.Tags | Should -Be @('python', 'jsonl')
        $r.FixtureYamlDotNet | Should -Be '11.0.0.0' -Because 'the module imported second gets its own YamlDotNet, not AgentState''s'
        $r.FixtureValues | Should -Be 'fixture/2'
        $r.ScriptsSeeYamlDotNet | Should -Be '11.0.0.0'
        $r.EngineContext | Should -Be 'AgentState'
        $r.LoadedYamlDotNet | Should -Be @('11.0.0.0 in Default', '16.0.0.0 in AgentState')
    }
}

Describe 'The engine''s type names' {
    It 'resolve in scripts while any runspace has the module imported and go with the last Remove-Module' {
        $child = Join-Path $TestDrive 'names.ps1'
        Set-Content -LiteralPath $child -Value @'
$ErrorActionPreference = 'Stop'
$accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
$ours = { @($accelerators::Get.Keys | Where-Object { $_ -like 'AgentState.*' }).Count }
$report = [ordered]@{}
Import-Module $args[0]
$report.Imported = & $ours
$report.Record = [AgentState.Agents.AgentStateRecord].FullName
$report.NotEngine = @($accelerators::Get.GetEnumerator() | Where-Object { $_.Key -like 'AgentState.*' -and ($_.Value.Assembly.GetName().Name -ne 'AgentState.Core' -or $_.Key -ne $_.Value.FullName) }).Count
$other = [powershell]::Create()
$null = $other.AddScript("Import-Module '$($args[0])'").Invoke()
Remove-Module AgentState
$report.OneRunspaceLeft = & $ours
$other.Commands.Clear()
$null = $other.AddScript('Remove-Module AgentState').Invoke()
$other.Dispose()
$report.AllRemoved = & $ours
Import-Module $args[0] -Force
Import-Module $args[0] -Force
$report.Again = & $ours
$report | ConvertTo-Json -Compress
'@
        $output = & $script:Pwsh -NoProfile -NonInteractive -File $child $script:ModulePath 2>&1
        $text = ($output | ForEach-Object { "$_" }) -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $text
        $r = $output | Select-Object -Last 1 | ForEach-Object { "$_" } | ConvertFrom-Json

        $r.Imported | Should -BeGreaterThan 10 -Because "every public engine type is named ($text)"
        $r.Record | Should -Be 'AgentState.Agents.AgentStateRecord'
        $r.NotEngine | Should -Be 0 -Because 'each name is an engine type''s own full name'
        $r.OneRunspaceLeft | Should -Be $r.Imported -Because 'another runspace still has the module imported'
        $r.AllRemoved | Should -Be 0 -Because 'the last Remove-Module takes the names away'
        $r.Again | Should -Be $r.Imported -Because 'Import-Module -Force removes and imports again'
    }
}
