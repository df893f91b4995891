using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using HelpBot.Text;

namespace HelpBot.Benchmarks.E2e;

/// <summary>What HelpBot should do with one update.</summary>
public enum Expect
{
    /// <summary>A ticket: an acknowledgement under the message and a card naming the citizen in the staff chat.</summary>
    Ticket,
    /// <summary>One reply under the message, with <see cref="SmokeCase.Detail"/> as its text.</summary>
    Reply,
    /// <summary>Read and stored (an inbox row), nothing sent.</summary>
    Quiet,
    /// <summary>Read and let go by the poller: its debug line "Skipped Telegram update N of type <see cref="SmokeCase.Detail"/>".</summary>
    Skipped,
    /// <summary>The button press answered (answerCallbackQuery) and the card edited.</summary>
    Claim,
    /// <summary>Read: an inbox row or the poller's debug line, either will do (a type HelpBot asks for but the smoke has no opinion on).</summary>
    Read,
}

/// <summary>One update of the smoke run: its Bot API JSON and what HelpBot should make of it.</summary>
public sealed class SmokeCase(string kind, Expect expect, string updateType, string json)
{
    public string Kind { get; } = kind;
    public Expect Expect { get; } = expect;
    /// <summary>The update's field: "message", "my_chat_member", "callback_query", …</summary>
    public string UpdateType { get; } = updateType;
    public string Json { get; } = json;
    public long ChatId { get; init; }
    public int MessageId { get; init; }
    public string? Citizen { get; init; }
    /// <summary>The reply's text (<see cref="Expect.Reply"/>) or the skipped update's type (<see cref="Expect.Skipped"/>).</summary>
    public string? Detail { get; init; }
    public int UpdateId { get; set; }
}

/// <summary>A sendMessage HelpBot made, text decoded.</summary>
public sealed record SentMessage(long? ChatId, int MessageId, int? ReplyTo, string Text, string? CallbackData);

/// <summary>
/// The updates of the <c>native</c> smoke run, written as Telegram writes them, each from its own citizen where that
/// matters, and what the fake saw HelpBot send. A staff member presses the claim button on the first question's card as
/// soon as the card arrives.
/// </summary>
public sealed class SmokeScenario : IBotApiObserver
{
    private const long FirstCitizenId = 30_000_001;
    private const long StaffId = 900_001;
    private const string StaffName = "Vũ Thị Hoa";

    private readonly FastBotApi _api;
    private readonly long _date = FastBotApi.UnixNow();
    private readonly ConcurrentQueue<SentMessage> _sent = new();
    private readonly ConcurrentQueue<(long? ChatId, int? MessageId)> _edits = new();
    private readonly SmokeCase _claimed;
    private long _nextCitizen = FirstCitizenId;
    private int _claimSent;

    public SmokeScenario(FastBotApi api, IReadOnlyList<string>? allowedUpdates)
    {
        ArgumentNullException.ThrowIfNull(api);
        _api = api;
        Cases = Build(allowedUpdates, out _claimed, out var notSent);
        NotSent = notSent;
    }

    public List<SmokeCase> Cases { get; }
    /// <summary>Update types the smoke could send but HelpBot does not ask for.</summary>
    public IReadOnlyList<string> NotSent { get; }
    public IReadOnlyCollection<SentMessage> Sent => _sent;
    public IReadOnlyCollection<(long? ChatId, int? MessageId)> Edits => _edits;
    /// <summary>The claim button press, once the card it presses has arrived.</summary>
    public SmokeCase? Claim { get; private set; }
    public int CardMessageId { get; private set; }

    /// <summary>Makes every update but the button press visible to getUpdates, as one batch.</summary>
    public void Offer()
    {
        var ids = _api.Enqueue(Cases.Count, (w, i, _) => Write(w, Cases[i]));
        for (var i = 0; i < ids.Length; i++)
        {
            Cases[i].UpdateId = ids[i];
        }
    }

    public void OnSendMessage(BotRequest request, int messageId, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sent = new SentMessage(request.ChatId, messageId, request.ReplyToMessageId, Decode(request.RawText), request.CallbackData);
        _sent.Enqueue(sent);
        if (IsCardOf(sent, _claimed) && Interlocked.Exchange(ref _claimSent, 1) == 0)
        {
            PressClaim(sent);
        }
    }

    public void OnEdit(BotRequest request, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(request);
        _edits.Enqueue((request.ChatId, request.MessageId));
    }

    public bool IsCardOf(SentMessage sent, SmokeCase c) =>
        sent.ChatId == _api.Chats.StaffChatId && sent.CallbackData?.StartsWith("claim:", StringComparison.Ordinal) == true
        && sent.Text.Contains($"Người hỏi: {c.Citizen} ·", StringComparison.Ordinal);

    private void PressClaim(SentMessage card)
    {
        var staff = _api.Chats.StaffChatId;
        var json = $$"""
            {"id":"4382764912381236517","from":{"id":{{StaffId}},"is_bot":false,"first_name":{{S(StaffName)}},"language_code":"vi"},
             "message":{"message_id":{{card.MessageId}},"from":{{BotUser}},"chat":{{Chat(staff, "")}},"date":{{_date}},"text":{{S(card.Text)}},
                        "reply_markup":{"inline_keyboard":[[{"text":"Nhận xử lý","callback_data":{{S(card.CallbackData!)}} }]] } },
             "chat_instance":"-4200000000000000001","data":{{S(card.CallbackData!)}} }
            """;
        var press = new SmokeCase($"callback_query {card.CallbackData} (staff presses the card's button)", Expect.Claim, "callback_query", json)
        {
            ChatId = staff,
        };
        CardMessageId = card.MessageId;
        press.UpdateId = _api.Enqueue(1, (w, _, _) => Write(w, press))[0];
        Claim = press;
    }

    private List<SmokeCase> Build(IReadOnlyList<string>? allowed, out SmokeCase claimed, out IReadOnlyList<string> notSent)
    {
        var texts = new Texts();
        var group = _api.Chats.GroupChatId;
        var cases = new List<SmokeCase>();
        SmokeCase Add(SmokeCase c)
        {
            cases.Add(c);
            return c;
        }

        claimed = Add(Message("text, private", Expect.Ticket, "Nguyễn Văn An", null,
            $$""" "text":{{S("Cho em hỏi làm giấy khai sinh cho con cần những giấy tờ gì ạ?")}} """));
        var inGroup = Add(Message("text, support group", Expect.Ticket, "Trần Thị Bình", group,
            $$""" "text":{{S("Xin hỏi đăng ký tạm trú online làm ở trang nào vậy ạ?")}} """));
        Add(Message("forward_origin user", Expect.Ticket, "Lê Văn Cường", null,
            $$""" "forward_origin":{"type":"user","date":{{_date - 3600}},"sender_user":{{User(_nextCitizen + 100, "Lê Thị Cúc")}} }, "text":{{S("Mình muốn hỏi thủ tục chuyển hộ khẩu thì nộp ở đâu?")}} """));
        Add(Message("forward_origin hidden_user", Expect.Ticket, "Phạm Văn Dũng", null,
            $$""" "forward_origin":{"type":"hidden_user","date":{{_date - 7200}},"sender_user_name":"Phạm Thị Dung"}, "text":{{S("Hỏi giúp tôi: cấp lại căn cước bị mất thì mất phí bao nhiêu?")}} """));
        Add(Message("forward_origin channel", Expect.Ticket, "Hoàng Thị Duyên", null,
            $$""" "forward_origin":{"type":"channel","date":{{_date - 86400}},"chat":{"id":-1002000000001,"type":"channel","title":"Tin tức xã","username":"tintucxa"}, "message_id":321,"author_signature":"Ban biên tập"}, "text":{{S("Thông báo nhận hồ sơ đất đai tại bộ phận một cửa. Hồ sơ đã nộp trước đây có phải nộp lại không?")}} """));
        Add(Message("photo with caption", Expect.Ticket, "Đặng Văn Giang", null,
            $$""" "photo":{{Photo("PH1")}},"caption":{{S("Giấy này còn hạn dùng không ạ?")}} """));
        Add(Message("photo without caption", Expect.Reply, "Bùi Thị Hà", null, $$""" "photo":{{Photo("PH2")}} """, texts.AskWhatIsNeeded));
        Add(Message("sticker", Expect.Reply, "Đỗ Văn Hải", null,
            """ "sticker":{"file_id":"CAACAgIAAxkBAAEB","file_unique_id":"AgADsticker1","type":"regular","width":512,"height":512,"is_animated":false,"is_video":false,"emoji":"👍","set_name":"HotCherry","thumbnail":{"file_id":"AAMCAgADGQEAAQ","file_unique_id":"AQADthumb1","file_size":5418,"width":128,"height":128},"file_size":24034} """,
            texts.SmallTalkReply));
        Add(Message("voice", Expect.Reply, "Ngô Thị Hạnh", null,
            """ "voice":{"file_id":"AwACAgUAAxkBAAEC","file_unique_id":"AgADvoice1","duration":7,"mime_type":"audio/ogg","file_size":41231} """,
            texts.AskWhatIsNeeded));
        Add(Message("document with caption", Expect.Ticket, "Dương Văn Hiếu", null,
            $$""" "document":{"file_id":"BQACAgUAAxkBAAED","file_unique_id":"AgADdoc1","file_name":"don-de-nghi.pdf","mime_type":"application/pdf","file_size":183224}, "caption":{{S("Em điền mẫu đơn này đúng chưa ạ?")}} """));
        Add(Message("reply_to_message + quote, support group", Expect.Ticket, "Lý Thị Hoa", group,
            $$""" "reply_to_message":{{inGroup.Json}},"quote":{"text":"đăng ký tạm trú online","position":9,"is_manual":true}, "text":{{S("Mình cũng muốn hỏi: tạm trú cho người thuê trọ thì chủ nhà làm hay người thuê làm?")}} """));
        const string mentioned = "@" + FastBotApi.BotUsername + " cho hỏi nộp hồ sơ trực tuyến ở https://dichvucong.gov.vn có được không?";
        Add(Message("entities: mention, bold, url, support group", Expect.Ticket, "Mai Văn Hùng", group,
            $$""" "text":{{S(mentioned)}},"entities":[{"type":"mention","offset":0,"length":{{FastBotApi.BotUsername.Length + 1}} }, {"type":"bold","offset":{{mentioned.IndexOf("nộp hồ sơ", StringComparison.Ordinal)}},"length":{{"nộp hồ sơ".Length}} }, {"type":"url","offset":{{mentioned.IndexOf("https://", StringComparison.Ordinal)}},"length":{{"https://dichvucong.gov.vn".Length}} }] """));
        Add(Message("external_reply (channel origin) + quote", Expect.Ticket, "Trịnh Văn Khoa", null,
            $$""" "external_reply":{"origin":{"type":"channel","date":{{_date - 3600}},"chat":{"id":-1002000000001,"type":"channel","title":"Tin tức xã"},"message_id":322}, "chat":{"id":-1002000000001,"type":"channel","title":"Tin tức xã"},"message_id":322}, "quote":{"text":"miễn lệ phí","position":0},"text":{{S("Vậy làm lại giấy phép lái xe cũng được miễn lệ phí ạ?")}} """));
        Add(Message("Vietnamese with diacritics and emoji", Expect.Ticket, "Phan Thị Lụa", null,
            $$""" "text":{{S("Chào anh chị 🙏 cho em hỏi làm căn cước cho bé dưới 6 tuổi có cần đưa bé lên xã không ạ? 😊👶")}} """));
        Add(Message("new_chat_members: bot added, support group", Expect.Quiet, "Võ Văn Minh", group,
            // As Telegram still writes it: the old single-member fields beside the list.
            $$""" "new_chat_participant":{{BotUser}},"new_chat_member":{{BotUser}},"new_chat_members":[{{BotUser}}] """));
        var admin = User(_nextCitizen - 1, "Võ Văn Minh");
        Add(new SmokeCase("my_chat_member: left → member", Expect.Skipped, "my_chat_member",
            $$"""{"chat":{{Chat(group, "")}},"from":{{admin}},"date":{{_date}},"old_chat_member":{"status":"left","user":{{BotUser}} },"new_chat_member":{"status":"member","user":{{BotUser}} } }""")
        {
            ChatId = group, Detail = "MyChatMember",
        });
        Add(new SmokeCase("my_chat_member: member → administrator", Expect.Skipped, "my_chat_member",
            $$"""
            {"chat":{{Chat(group, "")}},"from":{{admin}},"date":{{_date}},"old_chat_member":{"status":"member","user":{{BotUser}} },
             "new_chat_member":{"status":"administrator","user":{{BotUser}},"can_be_edited":false,"is_anonymous":false,"can_manage_chat":true,
               "can_delete_messages":true,"can_manage_video_chats":true,"can_restrict_members":true,"can_promote_members":false,"can_change_info":false,
               "can_invite_users":true,"can_post_stories":false,"can_edit_stories":false,"can_delete_stories":false,"can_pin_messages":true,"can_manage_topics":false} }
            """)
        {
            ChatId = group, Detail = "MyChatMember",
        });
        var original = claimed.Json;
        Add(new SmokeCase("edited_message", Expect.Skipped, "edited_message",
            original[..original.LastIndexOf('}')] + $$""","edit_date":{{_date + 30}} }""")
        {
            // No MessageId: the replies under that message belong to the question, not to its edit.
            ChatId = claimed.ChatId, Detail = "EditedMessage",
        });

        // Sent only when HelpBot asks for them (Telegram leaves them out of the default set).
        var skipped = new List<string>();
        if (allowed?.Contains("chat_member") == true)
        {
            Add(new SmokeCase("chat_member: citizen joins the support group", Expect.Read, "chat_member",
                $$"""{"chat":{{Chat(group, "")}},"from":{{User(_nextCitizen, "Châu Văn Nam")}},"date":{{_date}},"old_chat_member":{"status":"left","user":{{User(_nextCitizen, "Châu Văn Nam")}} },"new_chat_member":{"status":"member","user":{{User(_nextCitizen, "Châu Văn Nam")}} } }""")
            {
                ChatId = group,
            });
        }
        else
        {
            skipped.Add("chat_member");
        }
        if (allowed?.Contains("message_reaction") == true)
        {
            Add(new SmokeCase("message_reaction 👍", Expect.Read, "message_reaction",
                $$"""{"chat":{{Chat(group, "")}},"message_id":{{inGroup.MessageId}},"user":{{User(_nextCitizen, "Châu Văn Nam")}},"date":{{_date}},"old_reaction":[],"new_reaction":[{"type":"emoji","emoji":"👍"}]}""")
            {
                ChatId = group,
            });
        }
        else
        {
            skipped.Add("message_reaction");
        }
        notSent = skipped;
        return cases;
    }

    /// <summary>A message from a new citizen, in their private chat (<paramref name="chat"/> null) or in a group.</summary>
    private SmokeCase Message(string kind, Expect expect, string name, long? chat, string fields, string? reply = null)
    {
        var user = _nextCitizen++;
        var chatId = chat ?? user;
        var id = _api.NextMessageId();
        var json = $$"""{"message_id":{{id}},"from":{{User(user, name)}},"chat":{{Chat(chatId, name)}},"date":{{_date}},{{fields.Trim()}} }""";
        return new SmokeCase(kind, expect, "message", json) { ChatId = chatId, MessageId = id, Citizen = name, Detail = reply };
    }

    private static void Write(Utf8JsonWriter writer, SmokeCase c)
    {
        writer.WritePropertyName(c.UpdateType);
        writer.WriteRawValue(c.Json);
    }

    private static string BotUser =>
        $$"""{"id":{{FastBotApi.BotId}},"is_bot":true,"first_name":{{S(FastBotApi.BotFirstName)}},"username":{{S(FastBotApi.BotUsername)}} }""";

    private static string User(long id, string name) =>
        $$"""{"id":{{id}},"is_bot":false,"first_name":{{S(name)}},"language_code":"vi"}""";

    private string Chat(long id, string privateName) => id > 0
        ? $$"""{"id":{{id}},"type":"private","first_name":{{S(privateName)}} }"""
        : $$"""{"id":{{id}},"type":"supergroup","title":{{S(id == _api.Chats.StaffChatId ? _api.Chats.StaffTitle : _api.Chats.GroupTitle)}} }""";

    private static string Photo(string id) =>
        $$"""[{"file_id":"{{id}}-s","file_unique_id":"U{{id}}s","file_size":1412,"width":90,"height":67},{"file_id":"{{id}}-m","file_unique_id":"U{{id}}m","file_size":20154,"width":320,"height":240},{"file_id":"{{id}}-x","file_unique_id":"U{{id}}x","file_size":101380,"width":1280,"height":960}]""";

    /// <summary>A JSON string literal, non-ASCII kept as UTF-8 as Telegram's own JSON may carry it.</summary>
    private static string S(string value) => "\"" + JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";

    /// <summary>The text of a request as HelpBot sent it (the fake keeps it JSON-escaped).</summary>
    private static string Decode(byte[]? raw)
    {
        if (raw is null)
        {
            return "";
        }
        var quoted = new byte[raw.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        raw.CopyTo(quoted, 1);
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString() ?? "";
    }
}
