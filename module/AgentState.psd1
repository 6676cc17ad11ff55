@{
    RootModule           = 'AgentState.Cmdlets.dll'
    # Imported before the root module: it makes the engine in Dependencies/ loadable, isolated from other modules.
    NestedModules        = @('AgentState.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0f2c51-8d1e-4a43-9c1e-2b8a6f3e7d10'
    Author               = 'AgentState developers'
    CompanyName          = 'AgentState'
    Copyright            = '(c) AgentState developers. MIT License.'
    Description          = 'Keeps the state of AI agents safe on disk: atomic, durable file replacement, append-only ATIF trajectories, crash-surviving agent state and the tools to repair what an interrupted run left behind.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('AgentState.format.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Write-AtomicFile'
        'Update-JsonFile'
        'Set-MarkdownField'
        'Get-OrphanedTempFile'
        'Restore-FromTempFile'
        'New-AgentState'
        'Get-AgentState'
        'Set-AgentState'
        'Remove-AgentState'
        'Get-IncompleteAgent'
        'Get-AgentRecoverySummary'
        'Remove-StaleAgentState'
        'Initialize-StateFromSummary'
        'Start-Trajectory'
        'Add-TrajectoryStep'
        'Complete-Trajectory'
        'Get-Trajectory'
        'Get-TrajectoryStep'
        'Watch-Trajectory'
        'Export-Trajectory'
        'Repair-Trajectory'
        'Invoke-WithRetry'
        'Add-AgentWorkItem'
        'Get-AgentWorkItem'
        'Get-AgentWorkItemPosition'
        'Receive-AgentWorkItem'
        'Update-AgentWorkItemLease'
        'Complete-AgentWorkItem'
        'Stop-AgentWorkItem'
        'New-AgentRun'
        'Save-AgentRunResult'
        'Save-AgentRunVerification'
        'Save-AgentRunIteration'
        'Complete-AgentRun'
        'Get-AgentRun'
        'Get-AgentRunDiagnosis'
        'Invoke-AgentRunProcess'
        'Get-AgentRunEvent'
    )
    VariablesToExport    = @()
    AliasesToExport      = @(
        'Rebuild-StateFromSummary'
        'Fail-AgentWorkItem'
    )
    PrivateData          = @{
        PSData = @{
            Tags         = @('AI', 'Agents', 'AtomicWrite', 'Durability', 'Crash', 'Recovery', 'JSONL', 'ATIF', 'State', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/agentstate/agentstate'
            LicenseUri   = 'https://github.com/agentstate/agentstate/blob/main/LICENSE'
            ReleaseNotes = 'First release: durable atomic replace (Write-AtomicFile), locked read-modify-write of JSON and markdown (Update-JsonFile, Set-MarkdownField), recovery of interrupted writes (Get-OrphanedTempFile, Restore-FromTempFile), the crash-safe agent state store (New/Get/Set/Remove-AgentState, Get-IncompleteAgent, Get-AgentRecoverySummary, Remove-StaleAgentState), rebuilding history from plan summaries (Initialize-StateFromSummary, alias Rebuild-StateFromSummary), streaming ATIF trajectories (Start-Trajectory, Add-TrajectoryStep, Complete-Trajectory, Get-Trajectory, Get-TrajectoryStep, Watch-Trajectory, Export-Trajectory, Repair-Trajectory), and the agentstate CLI.'
        }
    }
}
