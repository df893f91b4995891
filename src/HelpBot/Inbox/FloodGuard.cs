using Microsoft.Extensions.Options;

namespace HelpBot.Inbox;

public sealed class FloodOptions
{
    /// <summary>Messages one citizen may send in a minute before the rest are set aside; 0 = no limit.</summary>
    public int PerMinute { get; set; } = 12;
}

/// <summary>
/// Counts each citizen's messages in a sliding minute (on <see cref="TimeProvider"/>, so tests drive it).
/// Past the limit a citizen's messages open nothing and are not relayed; the first one over the limit
/// is answered once. Kept in memory: after a restart the count simply starts again.
/// Only the inbox's single writer calls it, under its transaction, so it needs no locking beyond one lock.
/// </summary>
public sealed class FloodGuard(IOptions<DeskOptions> options, TimeProvider time)
{
    private readonly Dictionary<(string, string), Queue<long>> _recent = [];
    private readonly Lock _lock = new();
    private long _lastPrune;

    public enum Verdict { Ok, JustOver, Over }

    public Verdict Check(string channel, string userId)
    {
        var limit = options.Value.Flood.PerMinute;
        if (limit <= 0)
        {
            return Verdict.Ok;
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            Prune(now);
            if (!_recent.TryGetValue((channel, userId), out var times))
            {
                _recent[(channel, userId)] = times = new Queue<long>();
            }
            while (times.Count > 0 && times.Peek() <= now - 60_000)
            {
                times.Dequeue();
            }
            times.Enqueue(now);
            return times.Count <= limit ? Verdict.Ok : times.Count == limit + 1 ? Verdict.JustOver : Verdict.Over;
        }
    }

    private void Prune(long now)
    {
        if (now - _lastPrune < 60_000)
        {
            return;
        }
        _lastPrune = now;
        foreach (var (key, times) in _recent.ToList())
        {
            if (times.Count == 0 || times.Last() <= now - 60_000)
            {
                _recent.Remove(key);
            }
        }
    }
}
