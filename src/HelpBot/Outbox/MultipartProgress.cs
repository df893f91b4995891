using System.Collections.Concurrent;

namespace HelpBot.Outbox;

/// <summary>
/// One outbox row that goes out as several platform messages (a long text in parts, a photo and then its words):
/// remembers, per outbox row, the parts already delivered and their message ids, so that when a later part must be
/// retried the row resumes after them and the citizen never gets a part twice. Each part classifies its own platform
/// errors into a <see cref="SendResult"/>; the row's entry ends when all parts are sent, when a part fails for good, or
/// when a part throws (a state nobody understands: the row starts over).
/// Held in memory on purpose: the outbox row holds no per-part state, so a restart between two attempts of a row may
/// send a part again. Persisting it would cost a write per part on the hottest path for a rare case.
/// </summary>
public sealed class MultipartProgress
{
    /// <summary>
    /// A row not tried again for this long is taken as abandoned (parked dead by the dispatcher): its entry is dropped.
    /// Longer than a paused row waits in practice (Zalo's messaging window is 7 days).
    /// </summary>
    private static readonly TimeSpan Abandoned = TimeSpan.FromDays(8);

    private readonly ConcurrentDictionary<long, Entry> _rows = new();
    private readonly TimeProvider _time;

    public MultipartProgress(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Rows with parts delivered and parts still to go.</summary>
    public int Pending => _rows.Count;

    /// <summary>
    /// Sends the parts in order, skipping those an earlier attempt of the row delivered. <paramref name="content"/> is
    /// what the parts say: when a retry carries something else under the same id (a combined message of cards taken
    /// along by its head row), it starts over. <paramref name="beforeFirst"/> runs once, before the first part of a row
    /// in several parts (a "typing…" courtesy).
    /// </summary>
    public async Task<SendResult> SendAsync(long outboxId, string content, IReadOnlyList<Func<CancellationToken, Task<SendResult>>> parts,
        CancellationToken cancellationToken, Func<CancellationToken, Task>? beforeFirst = null)
    {
        var now = _time.GetUtcNow();
        Sweep(now);
        var entry = _rows.AddOrUpdate(outboxId, _ => new Entry(content), (_, known) => known.Content == content ? known : new Entry(content));
        entry.TouchedAt = now;
        try
        {
            if (entry.Done == 0 && parts.Count > 1 && beforeFirst is not null)
            {
                await beforeFirst(cancellationToken);
            }
            for (var i = entry.Done; i < parts.Count; i++)
            {
                switch (await parts[i](cancellationToken))
                {
                    case SendResult.Sent sent:
                        entry.Ids.AddRange(sent.MessageIds);
                        entry.Done = i + 1;
                        break;

                    case SendResult.RetryLater retry:
                        // The parts before this one stay delivered; the next attempt starts here.
                        return retry;

                    case var failed:
                        _rows.TryRemove(outboxId, out _);
                        return failed;
                }
            }
        }
        catch
        {
            _rows.TryRemove(outboxId, out _);
            throw;
        }
        _rows.TryRemove(outboxId, out _);
        return new SendResult.Sent(entry.Ids.ToList());
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, entry) in _rows)
        {
            if (now - entry.TouchedAt > Abandoned)
            {
                _rows.TryRemove(id, out _);
            }
        }
    }

    private sealed class Entry(string content)
    {
        public string Content { get; } = content;

        public List<string> Ids { get; } = [];

        public int Done { get; set; }

        public DateTimeOffset TouchedAt { get; set; }
    }
}
