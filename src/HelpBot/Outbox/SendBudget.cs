using HelpBot.Tickets;

namespace HelpBot.Outbox;

/// <summary>A platform's sending limits; 0 means unlimited.</summary>
public sealed record SendLimits(int GlobalPerSecond, int PerChatPerSecond, int PerGroupPerMinute)
{
    public static readonly SendLimits Unlimited = new(0, 0, 0);
}

/// <summary>A channel's <c>Limits</c> settings; each channel sets its own defaults. 0 means unlimited (benchmarks).</summary>
public sealed class SendLimitOptions
{
    public int GlobalPerSecond { get; set; }

    public int PerChatPerSecond { get; set; }

    public int PerGroupPerMinute { get; set; }

    /// <summary>The validation failure for a channel's section, or null.</summary>
    public string? Problem(string section) =>
        GlobalPerSecond < 0 || PerChatPerSecond < 0 || PerGroupPerMinute < 0 ? $"{section}:Limits values must be 0 (unlimited) or more." : null;

    public SendBudget ToBudget() => new(new SendLimits(GlobalPerSecond, PerChatPerSecond, PerGroupPerMinute));
}

/// <summary>
/// Sliding-window send budgets per bot, per private chat and per group, read from <see cref="TimeProvider"/>
/// so they can be tested with a fake clock (System.Threading.RateLimiting's limiters read their own clock).
/// Only the dispatcher's loop calls it, so it needs no locking.
/// </summary>
public sealed class SendBudget(SendLimits limits)
{
    // Telegram counts a send when it arrives, some time after we decide to send it: each window is a
    // little longer than the platform's, so a send's trip can never push the platform's count over.
    private static readonly TimeSpan Second = TimeSpan.FromMilliseconds(1100);
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(61);

    private readonly Window _global = new(limits.GlobalPerSecond, Second);
    private readonly Dictionary<string, Window> _chats = [];
    private long _lastPrune;
    private long _granted;

    public SendLimits Limits => limits;

    /// <summary>How many sends the budget has allowed since start (a send's trip to the platform follows).</summary>
    public long Granted => Interlocked.Read(ref _granted);

    /// <summary>Takes one send from the budgets if all allow it now; otherwise says how long to wait.</summary>
    public bool TryAcquire(string chatId, string chatKind, bool chatLimited, DateTimeOffset now, out TimeSpan wait)
    {
        var at = now.ToUnixTimeMilliseconds();
        Prune(at);
        var chat = chatLimited ? ChatWindow(chatId, chatKind) : null;
        var globalWait = _global.WaitFor(at);
        var chatWait = chat?.WaitFor(at) ?? 0;
        if (globalWait > 0 || chatWait > 0)
        {
            wait = TimeSpan.FromMilliseconds(Math.Max(globalWait, chatWait));
            return false;
        }
        _global.Take(at);
        chat?.Take(at);
        Interlocked.Increment(ref _granted);
        wait = TimeSpan.Zero;
        return true;
    }

    /// <summary>How many more sends this chat's window allows right now (int.MaxValue when unlimited).</summary>
    public int Remaining(string chatId, string chatKind, DateTimeOffset now)
    {
        var at = now.ToUnixTimeMilliseconds();
        var chat = ChatWindow(chatId, chatKind);
        return chat?.Available(at) ?? int.MaxValue;
    }

    private Window? ChatWindow(string chatId, string chatKind)
    {
        var (count, span) = chatKind == ChatKinds.Private
            ? (limits.PerChatPerSecond, Second)
            : (limits.PerGroupPerMinute, Minute);
        if (count <= 0)
        {
            return null;
        }
        if (!_chats.TryGetValue(chatId, out var window))
        {
            window = new Window(count, span);
            _chats[chatId] = window;
        }
        return window;
    }

    private void Prune(long at)
    {
        // Forget chats that have been quiet for longer than any window, so memory follows active chats only.
        if (at - _lastPrune < 60_000)
        {
            return;
        }
        _lastPrune = at;
        foreach (var (key, window) in _chats.ToList())
        {
            if (window.IdleSince(at) > 62_000)
            {
                _chats.Remove(key);
            }
        }
    }

    /// <summary>At most <c>count</c> sends in any <c>span</c>.</summary>
    private sealed class Window(int count, TimeSpan span)
    {
        private readonly Queue<long> _sent = new();
        private readonly long _spanMs = (long)span.TotalMilliseconds;

        public long WaitFor(long at)
        {
            if (count <= 0)
            {
                return 0;
            }
            while (_sent.Count > 0 && _sent.Peek() <= at - _spanMs)
            {
                _sent.Dequeue();
            }
            return _sent.Count < count ? 0 : _sent.Peek() + _spanMs - at;
        }

        public int Available(long at)
        {
            WaitFor(at);
            return count <= 0 ? int.MaxValue : Math.Max(0, count - _sent.Count);
        }

        public void Take(long at)
        {
            if (count > 0)
            {
                _sent.Enqueue(at);
            }
        }

        public long IdleSince(long at) => _sent.Count == 0 ? long.MaxValue : at - _sent.Last();
    }
}
