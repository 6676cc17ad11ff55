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

    It 'has the about_AgentState topic' {
        $about = Get-Help about_AgentState | Out-String
        $about | Should -Match 'AGENTSTATE_ROOT'
        $about | Should -Match 'WHAT IS GUARANTEED'
    }
}
