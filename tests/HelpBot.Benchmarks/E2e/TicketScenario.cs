using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HelpBot.Benchmarks.Support;

namespace HelpBot.Benchmarks.E2e;

/// <summary>
/// One ticket per question: a citizen asks (half privately, each from their own user; half in the one
/// support group, each from a different member) → HelpBot acknowledges and posts a card to the staff chat →
/// the fake, on seeing the card, has one of K staff members reply to it → HelpBot sends the answer under the
/// question. A ticket is complete when that answer reaches the fake. Timestamps are Stopwatch ticks.
/// </summary>
public sealed class TicketScenario : IBotApiObserver
{
    private const long FirstCitizenId = 10_000_000;
    private const long FirstStaffId = 800_000;

    private readonly FastBotApi _api;
    private readonly Question[] _questions;
    private readonly int _staff;
    private readonly ConcurrentDictionary<(long Chat, int Message), int> _byMessage = new();
    private readonly ConcurrentDictionary<long, long> _cardAt = new();
    private readonly ConcurrentDictionary<long, int> _replyUpdate = new();
    private readonly TaskCompletionSource _allAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _answered;
    private int _acks;
    private int _cardEdits;
    private int _otherStaffMessages;
    private int _unmatched;
    private int _offered;

    public TicketScenario(FastBotApi api, int questions, int staff)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentOutOfRangeException.ThrowIfLessThan(questions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(staff, 1);
        _api = api;
        _staff = staff;
        _questions = new Question[questions];
        for (var i = 0; i < questions; i++)
        {
            var userId = FirstCitizenId + i;
            // Even questions are private (chat id = user id), odd ones in the support group.
            var chat = i % 2 == 0 ? userId : api.Chats.GroupChatId;
            _questions[i] = new Question(chat, userId, Corpus.CitizenName(i), Corpus.Questions[i % Corpus.Questions.Length]);
        }
    }

    public int Count => _questions.Length;
    public int Offered => Volatile.Read(ref _offered);
    public int Answered => Volatile.Read(ref _answered);
    public int Acks => Volatile.Read(ref _acks);
    public int Cards => _cardAt.Count;
    public int CardEdits => Volatile.Read(ref _cardEdits);
    public int OtherStaffMessages => Volatile.Read(ref _otherStaffMessages);
    /// <summary>Messages to citizens that replied to no known question: should stay 0.</summary>
    public int Unmatched => Volatile.Read(ref _unmatched);
    public Task AllAnswered => _allAnswered.Task;

    /// <summary>Offers questions [from, from + count) at once, as one getUpdates-visible batch.</summary>
    public void Offer(int from, int count)
    {
        var messageIds = new int[count];
        for (var i = 0; i < count; i++)
        {
            messageIds[i] = _api.NextMessageId();
            var q = _questions[from + i];
            _byMessage[(q.ChatId, messageIds[i])] = from + i;
        }
        var date = FastBotApi.UnixNow();
        _api.Enqueue(count, (w, i, updateId) =>
        {
            var q = _questions[from + i];
            q.UpdateId = updateId;
            w.WriteStartObject("message"u8);
            w.WriteNumber("message_id"u8, messageIds[i]);
            w.WriteStartObject("from"u8);
            w.WriteNumber("id"u8, q.UserId);
            w.WriteBoolean("is_bot"u8, false);
            w.WriteString("first_name"u8, q.Name);
            w.WriteString("language_code"u8, "vi"u8);
            w.WriteEndObject();
            _api.WriteChat(w, q.ChatId, q.Name);
            w.WriteNumber("date"u8, date);
            w.WriteString("text"u8, q.Text);
            w.WriteEndObject();
            // Stamped while the lock is held and before getUpdates can see it.
            q.MessageId = messageIds[i];
            q.OfferedAt = Stopwatch.GetTimestamp();
        });
        Interlocked.Add(ref _offered, count);
    }

    public void OnSendMessage(BotRequest request, int messageId, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ChatId == _api.Chats.StaffChatId)
        {
            if (TicketOf(request.CallbackData, "claim:") is { } ticket && _cardAt.TryAdd(ticket, timestamp))
            {
                ReplyToCard(ticket, messageId, request.RawText ?? []);
            }
            else
            {
                Interlocked.Increment(ref _otherStaffMessages);
            }
            return;
        }
        if (request.ChatId is not { } chat || request.ReplyToMessageId is not { } replyTo || !_byMessage.TryGetValue((chat, replyTo), out var index))
        {
            Interlocked.Increment(ref _unmatched);
            return;
        }
        if (TicketOf(request.CallbackData, "solved:") is { } answered)
        {
            var q = _questions[index];
            if (Interlocked.CompareExchange(ref q.AnsweredAt, timestamp, 0) == 0)
            {
                q.Ticket = answered;
                if (Interlocked.Increment(ref _answered) == _questions.Length)
                {
                    _allAnswered.TrySetResult();
                }
            }
            return;
        }
        Interlocked.Increment(ref _acks);
    }

    public void OnEdit(BotRequest request, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ChatId == _api.Chats.StaffChatId)
        {
            Interlocked.Increment(ref _cardEdits);
        }
    }

    /// <summary>Per complete ticket: offered, card seen, answer delivered (Stopwatch ticks).</summary>
    public IEnumerable<CompletedTicket> Completed() =>
        _questions.Where(q => q.AnsweredAt != 0)
            .Select(q => new CompletedTicket(
                q.OfferedAt,
                _api.DeliveredAt(q.UpdateId),
                _cardAt.TryGetValue(q.Ticket, out var card) ? card : 0,
                _replyUpdate.TryGetValue(q.Ticket, out var reply) ? _api.DeliveredAt(reply) : 0,
                q.AnsweredAt));

    public long FirstOfferedAt => _questions.Where(q => q.OfferedAt != 0).Select(q => q.OfferedAt).DefaultIfEmpty().Min();

    public long LastAnsweredAt => _questions.Select(q => q.AnsweredAt).DefaultIfEmpty().Max();

    private void ReplyToCard(long ticket, int cardMessageId, byte[] cardText)
    {
        var staff = (int)(ticket % _staff);
        var answer = Corpus.Answers[(int)(ticket % Corpus.Answers.Length)];
        var staffChat = _api.Chats.StaffChatId;
        var replyId = _api.NextMessageId();
        var date = FastBotApi.UnixNow();
        _api.Enqueue(1, (w, _, updateId) =>
        {
            _replyUpdate[ticket] = updateId;
            w.WriteStartObject("message"u8);
            w.WriteNumber("message_id"u8, replyId);
            w.WriteStartObject("from"u8);
            w.WriteNumber("id"u8, FirstStaffId + staff);
            w.WriteBoolean("is_bot"u8, false);
            w.WriteString("first_name"u8, Corpus.StaffName(staff));
            w.WriteEndObject();
            _api.WriteChat(w, staffChat);
            w.WriteNumber("date"u8, date);
            // As Telegram does: the replied-to message in full, written by the bot.
            w.WriteStartObject("reply_to_message"u8);
            w.WriteNumber("message_id"u8, cardMessageId);
            _api.WriteBotUser(w, "from"u8);
            _api.WriteChat(w, staffChat);
            w.WriteNumber("date"u8, date);
            FastBotApi.WriteRawString(w, "text"u8, cardText);
            w.WriteEndObject();
            w.WriteString("text"u8, answer);
            w.WriteEndObject();
        });
    }

    private static long? TicketOf(string? callbackData, string prefix) =>
        callbackData is not null && callbackData.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(callbackData.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id : null;

    private sealed class Question(long chatId, long userId, string name, string text)
    {
        public long ChatId { get; } = chatId;
        public long UserId { get; } = userId;
        public string Name { get; } = name;
        public string Text { get; } = text;
        public int MessageId { get; set; }
        public int UpdateId { get; set; }
        public long OfferedAt { get; set; }
        public long Ticket { get; set; }
        // A field, not a property: set once with Interlocked.CompareExchange.
        public long AnsweredAt;
    }
}

/// <summary>
/// One answered ticket's Stopwatch timestamps: question offered, first getUpdates answer carrying it, card received,
/// first getUpdates answer carrying the staff reply (offered the moment the card arrived), answer received. 0: not seen.
/// </summary>
public sealed record CompletedTicket(long OfferedAt, long QuestionDeliveredAt, long CardAt, long ReplyDeliveredAt, long AnsweredAt);
