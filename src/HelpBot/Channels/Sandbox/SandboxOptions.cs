namespace HelpBot.Channels.Sandbox;

/// <summary>The <c>HelpBot:Sandbox</c> section: the local training chat.</summary>
public sealed class SandboxOptions
{
    public const string Section = "HelpBot:Sandbox";

    /// <summary>Where the sandbox page is served. Loopback unless the operator says otherwise.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The sandbox's own database: never the production one.</summary>
    public string ConnectionString { get; set; } = "Data Source=helpbot-sandbox.db";

    public string GroupTitle { get; set; } = "Hỏi đáp thủ tục hành chính xã (thử nghiệm)";

    public List<SandboxPerson> Citizens { get; set; } =
    [
        new("c-batu", "Bà Tư"),
        new("c-ongnam", "Ông Năm"),
        new("c-chihoa", "Chị Hoa"),
        new("c-anhduc", "Anh Đức"),
    ];

    public List<SandboxPerson> Team { get; set; } =
    [
        new("t-lan", "Lan (tư pháp)"),
        new("t-minh", "Minh (công an xã)"),
        new("t-tuan", "Tuấn (địa chính)"),
        new("t-thu", "Thu (văn hoá xã hội)"),
    ];

    public SandboxPerson Admin { get; set; } = new("admin", "Chủ tịch xã");
}

public sealed record SandboxPerson(string Id, string Name)
{
    public SandboxPerson() : this("", "") { }
}

/// <summary>The sandbox's chat ids.</summary>
public static class SandboxChats
{
    public const string Channel = "sandbox";
    public const string Group = "group";
    public const string Staff = "staff";

    public static string Private(string userId) => $"dm:{userId}";

    public static bool IsPrivate(string chatId) => chatId.StartsWith("dm:", StringComparison.Ordinal);
}
