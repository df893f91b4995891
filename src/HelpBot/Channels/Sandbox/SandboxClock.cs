namespace HelpBot.Channels.Sandbox;

/// <summary>
/// The system clock, which the demo seeder can hold at moments of "this morning" to play them through
/// the real pipeline. Outside seeding it is exactly the system clock.
/// </summary>
public sealed class SandboxClock : TimeProvider
{
    /// <summary>While set, the time everything in the process reads.</summary>
    public DateTimeOffset? Frozen { get; set; }

    public override DateTimeOffset GetUtcNow() => Frozen ?? System.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;

    public override long GetTimestamp() => System.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}
