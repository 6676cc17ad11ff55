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
    }
}
