namespace HelpBot.Categories;

/// <summary>
/// A kind of procedure the team answers, with the words that recognise it and its service targets.
/// Targets are durations from the question; <c>HelpBot:Categories</c> replaces the defaults.
/// </summary>
public sealed class Category
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Keywords { get; set; } = [];
    public TimeSpan FirstResponseTarget { get; set; } = TimeSpan.FromHours(4);
    public TimeSpan ResolutionTarget { get; set; } = TimeSpan.FromDays(2);
}
