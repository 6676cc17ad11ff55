BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'The AgentState module' {
    It 'imports without a warning (every verb is approved)' {
        $warnings = $null
        Import-Module $script:ModulePath -Force -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty -Because "Import-Module warned: $($warnings -join '; ')"
    }

    It 'exports exactly the cmdlets and aliases its manifest lists' {
        $manifest = Import-PowerShellDataFile -LiteralPath $script:ModulePath
        $module = Get-Module AgentState
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        @($module.ExportedAliases.Keys | Sort-Object) | Should -Be @($manifest.AliasesToExport | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
    }

    It 'has help with at least three examples for every cmdlet, code without fence lines' {
        # dotnet build writes en-US from docs/help; Get-Help falls back to the bare syntax when it is missing.
        $helpFolder = Join-Path (Split-Path $script:ModulePath) 'en-US'
        Join-Path $helpFolder 'AgentState.Cmdlets.dll-Help.xml' | Should -Exist
        foreach ($name in (Get-Module AgentState).ExportedCmdlets.Keys) {
            $help = Get-Help $name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty -Because "$name needs a synopsis"
            $help.Synopsis.Trim() | Should -Not -BeLike "$name *" -Because "$name's synopsis must come from the help file, not the generated syntax"
            @($help.examples.example).Count | Should -BeGreaterOrEqual 3 -Because "$name needs three examples"
            foreach ($example in $help.examples.example) {
                $example.code | Should -Not -BeNullOrEmpty
                $example.code | Should -Not -Match '(?m)^\s*```' -Because "$name's example code is printed as is"
                ($example.remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) of $name needs a description"
            }
        }
    }

    It 'loads the engine from Dependencies/ in its own load context, through the loader it imports first' {
        $module = Get-Module AgentState
        $module.NestedModules.Name | Should -Contain 'AgentState.Loader'
        $engine = [AgentState.History.FrontMatter].Assembly
        $expected = Join-Path (Split-Path $script:ModulePath) 'Dependencies/AgentState.Core.dll'
        $engine.Location | Should -Be (Resolve-Path -LiteralPath $expected).Path
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name | Should -Be 'AgentState'
        $yaml = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Assemblies | Where-Object { $_.GetName().Name -eq 'YamlDotNet' }
        # The engine's YamlDotNet only once the engine has read YAML; when it has, it is the one in Dependencies/.
        if ($yaml) { Split-Path $yaml.Location | Should -Be (Split-Path $engine.Location) }
        @([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { $_.GetName().Name -in 'AgentState.Core', 'YamlDotNet' }) | Should -BeNullOrEmpty -Because 'the default context is where other modules load theirs'
    }

    It 'has the about_AgentState topic' {
        $about = Get-Help about_AgentState | Out-String
        $about | Should -Match 'AGENTSTATE_ROOT'
        $about | Should -Match 'WHAT IS GUARANTEED'
    }
}
