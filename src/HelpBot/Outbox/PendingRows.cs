namespace HelpBot.Outbox;

/// <summary>An outbox row waiting to be sent. The payload stays in the database until the send starts.</summary>
public sealed class PendingRow
{
    public long Id { get; init; }
    public string Channel { get; init; } = "";
    public string ChatId { get; init; } = "";
    public string ChatKind { get; init; } = "";
    public string Kind { get; init; } = "";
    public long Priority { get; init; }
    public long? TicketId { get; init; }
    public long Attempts { get; set; }
    public long NextAttemptAt { get; set; }

    /// <summary>Button acknowledgements belong to no queue: they go out as soon as they may.</summary>
    public bool Ordered => Kind != nameof(OutboundKind.ButtonAnswer);
}

/// <summary>
/// The outbox's pending rows, held by the dispatcher so that finding the next sends costs no query over the
/// whole queue. The rows of one chat and ticket form a partition, sent in (priority, id) order; the head of
/// every partition and every button acknowledgement are the candidates, kept in (priority, id) order.
/// Only the dispatcher's loop touches it, so it needs no locking.
/// </summary>
public sealed class PendingRows
{
    private static readonly Comparer<PendingRow> ByPriorityThenId = Comparer<PendingRow>.Create(
        (a, b) => a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority) : a.Id.CompareTo(b.Id));

    private readonly Dictionary<long, PendingRow> _rows = [];
    private readonly Dictionary<(string Channel, string ChatId, long Ticket), SortedSet<PendingRow>> _partitions = [];
    private readonly SortedSet<PendingRow> _candidates = new(ByPriorityThenId);

    /// <summary>The highest id ever added: rows committed later have higher ids.</summary>
    public long LastId { get; private set; }

    public int Count => _rows.Count;

    /// <summary>The row held in memory with this id, if any.</summary>
    public PendingRow? Find(long id) => _rows.GetValueOrDefault(id);

    /// <summary>Heads of partitions and button acknowledgements, highest priority and oldest first.</summary>
    public IReadOnlyCollection<PendingRow> Candidates => _candidates;

    public void Add(PendingRow row)
    {
        LastId = Math.Max(LastId, row.Id);
        if (!_rows.TryAdd(row.Id, row))
        {
            return;
        }
        if (!row.Ordered)
        {
            _candidates.Add(row);
            return;
        }
        var key = KeyOf(row);
        if (!_partitions.TryGetValue(key, out var partition))
        {
            partition = new SortedSet<PendingRow>(ByPriorityThenId);
            _partitions[key] = partition;
        }
        var head = partition.Min;
        partition.Add(row);
        if (head is null || ByPriorityThenId.Compare(row, head) < 0)
        {
            if (head is not null)
            {
                _candidates.Remove(head);
            }
            _candidates.Add(row);
        }
    }

    /// <summary>Forgets a row that was sent, parked or changed elsewhere; the next of its partition becomes a candidate.</summary>
    public void Remove(long id)
    {
        if (!_rows.Remove(id, out var row))
        {
            return;
        }
        var wasCandidate = _candidates.Remove(row);
        if (!row.Ordered)
        {
            return;
        }
        var key = KeyOf(row);
        var partition = _partitions[key];
        partition.Remove(row);
        if (partition.Count == 0)
        {
            _partitions.Remove(key);
        }
        else if (wasCandidate)
        {
            _candidates.Add(partition.Min!);
        }
    }

    /// <summary>True when a row of <paramref name="kind"/> waits behind <paramref name="row"/> in its partition.</summary>
    public bool HasLaterOfKind(PendingRow row, string kind) =>
        row.Ordered && _partitions.TryGetValue(KeyOf(row), out var partition)
        && partition.Any(r => r.Id != row.Id && r.Kind == kind && ByPriorityThenId.Compare(r, row) > 0);

    public void Clear()
    {
        _rows.Clear();
        _partitions.Clear();
        _candidates.Clear();
    }

    private static (string, string, long) KeyOf(PendingRow row) => (row.Channel, row.ChatId, row.TicketId ?? 0);
}
