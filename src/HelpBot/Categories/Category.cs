namespace HelpBot.Categories;

/// <summary>
/// A kind of procedure the team answers, with the words that recognise it and its service targets.
/// Targets are working time from the question (a working day is 7 h 30); <c>HelpBot:Categories</c> replaces the defaults.
/// </summary>
public sealed class Category
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string> Keywords { get; set; } = [];
    public TimeSpan FirstResponseTarget { get; set; } = TimeSpan.FromHours(4);
    public TimeSpan ResolutionTarget { get; set; } = TimeSpan.FromHours(15);
}
