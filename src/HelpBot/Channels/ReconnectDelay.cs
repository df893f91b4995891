namespace HelpBot.Channels;

/// <summary>How long a channel waits before calling its platform again after failures in a row: 2, 4, 8 … 60 s.</summary>
public static class ReconnectDelay
{
    public static TimeSpan After(int failures) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(failures, 6))));
}
