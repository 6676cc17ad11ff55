BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $props = Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Build.props')
    $script:Version = [regex]::Match($props, '<Version>([^<]+)</Version>').Groups[1].Value
    $script:Package = Join-Path $PSScriptRoot "../../out/packages/AgentState.$script:Version.nupkg"
}

Describe 'The module package' {
    It 'has a manifest that Test-ModuleManifest accepts where the package puts it' {
        $script:Package | Should -Exist -Because 'dotnet build writes out/packages'
        $folder = Join-Path $TestDrive 'AgentState'
        [System.IO.Compression.ZipFile]::ExtractToDirectory((Resolve-Path $script:Package).Path, $folder)

        $manifest = Test-ModuleManifest -Path (Join-Path $folder 'AgentState.psd1') -ErrorAction Stop

        $manifest.Version | Should -Be ([version]$script:Version)
        $manifest.ExportedCmdlets.Keys | Should -Contain 'Write-AtomicFile'
        $manifest.ExportedCmdlets.Count | Should -Be (Get-Module AgentState).ExportedCmdlets.Count
        Join-Path $folder 'en-US/AgentState.Cmdlets.dll-Help.xml' | Should -Exist
        Join-Path $folder 'AgentState.Loader.dll' | Should -Exist
        Join-Path $folder 'Dependencies/AgentState.Core.dll' | Should -Exist
        Join-Path $folder 'Dependencies/YamlDotNet.dll' | Should -Exist
        Join-Path $folder 'AgentState.Core.dll' | Should -Not -Exist -Because 'the engine is loaded only through the loader, from Dependencies/'
    }

    It 'imports from where the package puts it and runs the engine (in a fresh pwsh)' {
        $folder = Join-Path $TestDrive 'installed/AgentState'
        [System.IO.Compression.ZipFile]::ExtractToDirectory((Resolve-Path $script:Package).Path, $folder)
        $root = Join-Path $TestDrive 'root'
        $child = Join-Path $TestDrive 'import.ps1'
        Set-Content -LiteralPath $child -Value @'
$ErrorActionPreference = 'Stop'
Import-Module $args[0]
New-AgentState a1 -Name packaged -Type L2 -Root $args[1] | Out-Null
$record = Get-AgentState a1 -Root $args[1]
'{0}|{1}' -f $record.Name, [AgentState.History.FrontMatter].Assembly.Location
'@
        $output = & (Get-Process -Id $PID).Path -NoProfile -NonInteractive -File $child (Join-Path $folder 'AgentState.psd1') $root 2>&1
        $text = ($output | ForEach-Object { "$_" }) -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $text
        $name, $engine = ($output | Select-Object -Last 1) -split '\|'
        $name | Should -Be 'packaged'
        $engine | Should -Be (Join-Path $folder 'Dependencies/AgentState.Core.dll')
    }
}
