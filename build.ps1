#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests, documents and packages AgentState.
.DESCRIPTION
    Build    dotnet build of the solution; lays out the module folder out/AgentState.
    Test     the xunit suite (dotnet test), then Pester.
    Pester   the Pester 5 suite in tests/pester against out/AgentState.
    Help     docs/help/*.md to MAML help in out/AgentState/en-US: platyPS 1.0 when installed, else platyPS 0.14,
             else the project's own builder (which dotnet build runs anyway).
    Package  Help, then out/packages: AgentState.<version>.nupkg (the module, gallery-shaped), AgentState-<version>.zip
             and AgentState.Cli.<version>.nupkg (the agentstate .NET tool).
    Native   the NativeAOT agentstate for this machine's platform in out/native/<rid>/ (starts in milliseconds, for
             shell hooks and cron); the same as
             dotnet publish src/AgentState.Cli -c Release -r linux-x64 -p:AgentStateNative=true -o out/native/linux-x64
.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Help', 'Package', 'Native')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out/AgentState'

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'AgentState.sln'), '-c', $Configuration)
}

function Invoke-PesterSuite {
    if (-not (Test-Path (Join-Path $moduleFolder 'AgentState.psd1'))) { Invoke-Build }
    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0' } | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) { throw 'Pester 5 is not installed: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser' }
    # A child pwsh, so that this session never holds the module's assemblies loaded.
    $script = @"
Import-Module Pester -MinimumVersion 5.0
`$env:AGENTSTATE_MODULE = '$(Join-Path $moduleFolder 'AgentState.psd1')'
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests/pester')'
`$config.Run.Exit = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$(Join-Path $root 'out/pester-results.xml')'
Invoke-Pester -Configuration `$config
"@
    Invoke-Native (Get-Process -Id $PID).Path @('-NoProfile', '-NonInteractive', '-Command', $script)
}

function Invoke-Help {
    # dotnet build already writes the help with the project's own builder (tools/AgentState.HelpBuilder);
    # this task regenerates it with platyPS when platyPS is installed, to compare or to publish its output.
    if (-not (Test-Path (Join-Path $moduleFolder 'AgentState.psd1'))) { Invoke-Build }
    $docs = Join-Path $root 'docs/help'
    $helpFolder = Join-Path $moduleFolder 'en-US'
    New-Item -ItemType Directory -Force -Path $helpFolder | Out-Null
    if (Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS) {
        Import-Module Microsoft.PowerShell.PlatyPS
        # platyPS 1.0 writes <folder>/<module>/<file>-Help.xml: export to a staging folder, then copy the files.
        $staging = Join-Path $root 'out/platyps-maml'
        Remove-Item -Recurse -Force -LiteralPath $staging -ErrorAction SilentlyContinue
        Measure-PlatyPSMarkdown -Path (Join-Path $docs '*.md') | Where-Object Filetype -Match 'CommandHelp' |
            Import-MarkdownCommandHelp -Path { $_.FilePath } | Export-MamlCommandHelp -OutputFolder $staging -Force | Out-Null
        Get-ChildItem -LiteralPath $staging -Recurse -Filter '*-Help.xml' | Copy-Item -Destination $helpFolder -Force
        $tool = 'Microsoft.PowerShell.PlatyPS'
    }
    elseif (Get-Module -ListAvailable -Name platyPS) {
        Import-Module platyPS
        New-ExternalHelp -Path $docs -OutputPath $helpFolder -Force | Out-Null
        $tool = 'platyPS'
    }
    else {
        Invoke-Native dotnet @('run', '--project', (Join-Path $root 'tools/AgentState.HelpBuilder'), '-c', $Configuration, '--', $docs, $helpFolder)
        $tool = 'the built-in help builder (no platyPS installed)'
    }
    Copy-Item -LiteralPath (Join-Path $root 'docs/about/about_AgentState.help.txt') -Destination $helpFolder -Force
    Write-Host "Help written to $helpFolder by $tool"
}

function Invoke-Package {
    # The same packages as 'dotnet pack tools/AgentState.Packaging', with the help from platyPS when it is installed.
    Invoke-Help
    Invoke-Native dotnet @('pack', (Join-Path $root 'tools/AgentState.Packaging'), '-c', $Configuration)
    Get-ChildItem (Join-Path $root 'out/packages') | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

function Invoke-NativeCliBuild {
    # NativeAOT compiles for the platform it runs on (cross-OS compilation is not supported), so the RID is this one.
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    $rid = "$os-$arch"
    $output = Join-Path $root "out/native/$rid"
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/AgentState.Cli'), '-c', $Configuration, '-r', $rid,
        '-p:AgentStateNative=true', '-o', $output)
    $program = if ($IsWindows) { 'agentstate.exe' } else { 'agentstate' }
    Write-Host "Native agentstate: $(Join-Path $output $program)"
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' {
            Invoke-Native dotnet @('test', (Join-Path $root 'AgentState.sln'), '-c', $Configuration)
            Invoke-PesterSuite
        }
        'Pester' { Invoke-PesterSuite }
        'Help' { Invoke-Help }
        'Package' { Invoke-Package }
        'Native' { Invoke-NativeCliBuild }
    }
}
