using System.Text;
using HelpBot.Tickets;

namespace HelpBot.Text;

/// <summary>
/// Every text a citizen or a team member reads, in one place. Vietnamese, in the register of a courteous
/// commune officer: "Dạ," to open, "ạ" to close a request, "anh/chị" to a person whose age is unknown.
/// Citizens hear "câu hỏi #12"; the team says "phiếu #12".
/// </summary>
public class Texts
{
    public const int CardQuestionLimit = 3000;

    // ---- citizens ----

    public virtual string AckInGroup(long ticket) =>
        $"Dạ, tổ hỗ trợ đã ghi nhận câu hỏi #{ticket} của anh/chị. Cán bộ sẽ trả lời ngay dưới câu hỏi này trong giờ làm việc ạ.";

    public virtual string AckInPrivate(long ticket) =>
        $"Dạ, tổ hỗ trợ đã ghi nhận câu hỏi #{ticket}. Cán bộ sẽ nhắn trả lời anh/chị tại đây trong giờ làm việc ạ.";

    public virtual string AckOutOfHours(long ticket, bool inGroup, DateTimeOffset resumes, DateTimeOffset now) =>
        $"Dạ, tổ hỗ trợ đã ghi nhận câu hỏi #{ticket}. Hiện đã ngoài giờ làm việc, cán bộ sẽ trả lời {(inGroup ? "ngay dưới câu hỏi này " : "")}{WhenWorkResumes(resumes, now)} ạ.";

    /// <summary>"từ 7 giờ 30 sáng thứ Hai (07/12)", "từ 13 giờ 30 chiều nay", "từ 7 giờ 30 sáng mai".</summary>
    public virtual string WhenWorkResumes(DateTimeOffset resumes, DateTimeOffset now)
    {
        var at = LocalTime.ToLocal(resumes);
        var today = LocalTime.ToLocal(now).Date;
        var clock = at.Minute == 0 ? $"{at.Hour} giờ" : $"{at.Hour} giờ {at.Minute:00}";
        var part = at.Hour < 11 ? "sáng" : at.Hour < 13 ? "trưa" : at.Hour < 18 ? "chiều" : "tối";
        var day = (at.Date - today).Days switch
        {
            0 => "nay",
            1 => "mai",
            _ => $"{VietnameseDay(at.DayOfWeek)} ({at:dd/MM})",
        };
        return $"từ {clock} {part} {day}";
    }

    protected static string VietnameseDay(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "thứ Hai",
        DayOfWeek.Tuesday => "thứ Ba",
        DayOfWeek.Wednesday => "thứ Tư",
        DayOfWeek.Thursday => "thứ Năm",
        DayOfWeek.Friday => "thứ Sáu",
        DayOfWeek.Saturday => "thứ Bảy",
        _ => "Chủ nhật",
    };

    public virtual string AskWhatIsNeeded => "Dạ, anh/chị cần hỗ trợ gì về tin nhắn này ạ?";

    public virtual string AnswerHeader(long ticket) => $"Dạ, tổ hỗ trợ trả lời câu hỏi #{ticket} của anh/chị:";

    /// <summary>An answer in a group on a channel without replies (Zalo): it names the citizen and quotes the question's start, so they see it is theirs.</summary>
    public virtual string AnswerHeaderInGroup(long ticket, string citizen, string question) =>
        $"Dạ, tổ hỗ trợ trả lời câu hỏi #{ticket} của {citizen} («{QuestionStart(question)}»):";

    /// <summary>The first words of a question, on one line, ID numbers masked (the group sees it).</summary>
    public static string QuestionStart(string question) => Shorten(OneLine(Privacy.MaskIdNumbers(question)).Trim(), 60);

    public virtual string AskFeedback => "Câu trả lời đã giúp được anh/chị chưa ạ?";

    public virtual string ButtonSolved => "Đã giải quyết";

    public virtual string ButtonNotSolved => "Chưa giải quyết";

    public virtual string ButtonNeedsHelp => "Cần người hỗ trợ";

    public virtual string AutomaticAnswerer => "Trả lời tự động";

    public virtual string FaqAnswer(long ticket, string answer) =>
        $"Dạ, đây là trả lời tự động cho câu hỏi #{ticket} của anh/chị:\n\n{answer}\n\nNếu chưa rõ, anh/chị bấm «Cần người hỗ trợ», cán bộ sẽ trả lời ạ.";

    /// <summary>Above the numbered choices that stand for buttons on channels without them.</summary>
    public virtual string ChoicesIntro => "Anh/chị nhắn một số để chọn ạ:";

    /// <summary>The same, in a group that hears only messages mentioning the bot.</summary>
    public virtual string ChoicesIntroMentioning(string mention) => $"Anh/chị nhắn {mention} kèm một số để chọn ạ (ví dụ: {mention} 1):";

    public virtual string AskRating => "Dạ, anh/chị chấm điểm sự hỗ trợ của tổ giúp ạ (1 đến 5 sao).";

    public virtual string RatingButton(int score) => $"{score}⭐";

    public virtual string ThanksForRating(int score) => $"Dạ, cảm ơn anh/chị đã chấm {score} sao ạ.";

    public virtual string ButtonClaimVisit => "Nhận đi thăm";

    public virtual string VisitCard(Ticket t, string village, string note, string? requestedBy) =>
        $"🏠 Thăm nhà · phiếu #{t.Id} · {village}\nNgười cần thăm: {t.CitizenName}\nĐịa chỉ, ghi chú: {note}\nCâu hỏi: {Shorten(OneLine(Privacy.MaskIdNumbers(t.Question)), 500)}"
        + (requestedBy is null ? "" : $"\nNgười đề nghị: {requestedBy}")
        + "\n↩️ Sau khi thăm, trả lời (reply) thẻ này để ghi kết quả.";

    public virtual string VisitGoing(string member) => $"Đang đi thăm: {member}";

    public virtual string VisitRequested(long ticket, string village, long visit) => $"Đã gửi đề nghị thăm nhà (phiếu #{ticket}) cho {village}.";

    public virtual string VisitYours(long ticket) => $"Anh/chị nhận đi thăm (phiếu #{ticket}). Sau khi thăm, trả lời thẻ để ghi kết quả ạ.";

    public virtual string VisitTaken(long ticket) => $"Việc thăm nhà phiếu #{ticket} đã có người nhận ạ.";

    public virtual string NoOpenVisit(long ticket) => $"Phiếu #{ticket} không có đề nghị thăm nhà nào đang chờ ạ.";

    public virtual string VisitReported(long ticket, string village, string member, string outcome) =>
        $"🏠 #{ticket} · {village}: {member} đã thăm nhà. Kết quả: {outcome}";

    public virtual string UnknownVillage(IReadOnlyList<string> villages) =>
        villages.Count == 0
            ? "Chưa cấu hình nhóm thôn nào (HelpBot:Villages) ạ."
            : $"Không rõ thôn. Các thôn: {string.Join(", ", villages)}. Cách dùng: /visit 12 <thôn> <địa chỉ, ghi chú>";

    public virtual string FaqAdded(long id) => $"Đã thêm câu trả lời tự động số {id}.";

    public virtual string FaqRemoved(long id) => $"Đã bỏ câu trả lời tự động số {id}.";

    public virtual string FaqNotFound(long id) => $"Không có câu trả lời tự động số {id}.";

    public virtual string FaqEmpty => "Chưa có câu trả lời tự động nào. Thêm bằng: /faq add từ khoá, từ khoá | câu trả lời";

    public virtual string FaqLine(long id, string keywords, string answer) => $"{id}. [{keywords}] {Shorten(OneLine(answer), 120)}";

    public virtual string ThanksForFeedback(long ticket) =>
        $"Dạ, cảm ơn anh/chị. Câu hỏi #{ticket} đã được giải quyết ạ.";

    public virtual string WillLookAgain(long ticket) =>
        $"Dạ, tổ hỗ trợ sẽ xem lại câu hỏi #{ticket} và trả lời thêm cho anh/chị ạ.";

    public virtual string ButtonNotForYou => "Dạ, nút này dành cho người đã đặt câu hỏi ạ.";

    public virtual string ButtonOutdated => "Dạ, câu hỏi này đã được đóng lại ạ.";

    public virtual string StillWorkingOnIt => "Dạ, tổ hỗ trợ đang xem lại câu hỏi này, anh/chị chờ thêm ạ.";

    public virtual string Welcome =>
        "Dạ, chào anh/chị! Đây là tổ hỗ trợ thủ tục hành chính của xã. " +
        "Anh/chị cứ nhắn câu hỏi vào đây, ví dụ: “Cho hỏi làm giấy khai sinh cần giấy tờ gì?”. " +
        "Cán bộ sẽ trả lời anh/chị ngay tại đây ạ.";

    public virtual string SmallTalkReply =>
        "Dạ, anh/chị cần hỏi về thủ tục gì cứ nhắn vào đây, tổ hỗ trợ sẽ trả lời ạ.";

    public virtual string YouAreWelcome => "Dạ, không có gì ạ. Anh/chị cần hỏi thêm cứ nhắn vào đây ạ.";

    public virtual string AskCommandNeedsText =>
        "Dạ, anh/chị gõ câu hỏi ngay sau /hoi, ví dụ: /hoi làm căn cước cho con ở đâu ạ?";

    public virtual string StaffOnly =>
        "Dạ, lệnh này chỉ dành cho tổ hỗ trợ ạ. Anh/chị cứ đặt câu hỏi, tổ sẽ trả lời.";

    public virtual string AdminOnly => "Dạ, lệnh này chỉ dành cho quản trị viên ạ.";

    public virtual string UnknownCommandForCitizen =>
        "Dạ, tổ hỗ trợ chưa hiểu lệnh này ạ. Anh/chị cứ nhắn câu hỏi như bình thường, cán bộ sẽ trả lời.";

    public virtual string SomethingWentWrong =>
        "Dạ, hệ thống đang gặp sự cố nhỏ. Anh/chị vui lòng gửi lại tin nhắn sau ít phút ạ.";

    public virtual string Banned(string userId) => $"Đã chặn {userId}: tin nhắn của người này sẽ không mở phiếu.";

    public virtual string Unbanned(string userId) => $"Đã bỏ chặn {userId}.";

    public virtual string NotBanned(string userId) => $"{userId} không bị chặn.";

    public virtual string Forgot(int tickets) =>
        $"Đã xoá dữ liệu cá nhân của người hỏi trong {tickets} phiếu; số liệu thời gian vẫn được giữ (ẩn danh).";

    public virtual string ForgottenName => "(đã xoá)";

    public virtual string ForgottenQuestion => "(nội dung đã xoá theo yêu cầu)";

    public virtual string TooManyMessages =>
        "Dạ, tổ hỗ trợ đã nhận đủ tin nhắn của anh/chị. Anh/chị vui lòng chờ cán bộ trả lời, không cần gửi thêm ạ.";

    public virtual string EmptyMessage => "Dạ, tin nhắn của anh/chị chưa có nội dung. Anh/chị nhắn lại câu hỏi giúp tổ hỗ trợ ạ.";

    // ---- the staff chat ----

    public virtual string ButtonClaim => "Nhận xử lý";

    public virtual string ButtonUnclaim => "Trả phiếu";

    public virtual string StateName(TicketState state) => state switch
    {
        TicketState.New => "Mới, chưa ai nhận",
        TicketState.Claimed => "Đang xử lý",
        TicketState.Answered => "Đã trả lời, chờ người hỏi xác nhận",
        TicketState.Resolved => "Đã giải quyết",
        TicketState.Reopened => "Người hỏi báo chưa giải quyết, cần trả lời thêm",
        TicketState.Cancelled => "Đã huỷ",
        _ => state.ToString(),
    };

    public virtual string ShortStateName(TicketState state) => state switch
    {
        TicketState.New => "Mới",
        TicketState.Claimed => "Đang xử lý",
        TicketState.Answered => "Đã trả lời",
        TicketState.Resolved => "Đã giải quyết",
        TicketState.Reopened => "Mở lại",
        TicketState.Cancelled => "Đã huỷ",
        _ => state.ToString(),
    };

    /// <param name="staffCanReply">False when the staff chat's channel has no replies (Zalo): the card says how to answer by ticket number.</param>
    public virtual string Card(Ticket t, DateTimeOffset now, string? category = null, IReadOnlyList<(string Name, long Open)>? suggested = null,
        bool staffCanReply = true, string? staffMention = null)
    {
        var icon = t.State switch
        {
            TicketState.New => "🆕",
            TicketState.Claimed => "🛠",
            TicketState.Answered => "💬",
            TicketState.Resolved => "✅",
            TicketState.Reopened => "⚠️",
            _ => "✖️",
        };
        var where = t.IsPrivate ? "nhắn riêng" : string.IsNullOrWhiteSpace(t.ChatTitle) ? "nhóm hỗ trợ" : $"nhóm «{t.ChatTitle}»";
        var sb = new StringBuilder();
        sb.Append(icon).Append(" Phiếu #").Append(t.Id).Append(" · ").Append(ChannelName(t.Channel)).Append(", ").Append(where).AppendLine();
        sb.Append("Người hỏi: ").Append(t.CitizenName).Append(" · ").AppendLine(LocalTime.FormatShort(t.CreatedAt, now));
        if (category is not null)
        {
            sb.Append("Lĩnh vực: ").AppendLine(category);
        }
        sb.AppendLine();
        sb.AppendLine(Shorten(Privacy.MaskIdNumbers(t.Question), CardQuestionLimit));
        sb.AppendLine();
        sb.Append("Trạng thái: ").Append(StateName(t.State));
        if (t.AssigneeName is not null && t.State is not TicketState.New)
        {
            sb.Append(" · ").Append(t.AssigneeName);
        }
        if (t.ReopenCount > 0)
        {
            sb.Append(" · mở lại ").Append(t.ReopenCount).Append(" lần");
        }
        if (suggested is { Count: > 0 })
        {
            sb.AppendLine().Append("Gợi ý: ").Append(string.Join(", ", suggested.Select(m => $"{m.Name} ({m.Open} phiếu)")));
        }
        if (t.IsOpen)
        {
            sb.AppendLine().Append(staffCanReply
                ? "↩️ Trả lời (reply) tin nhắn này để gửi câu trả lời cho người hỏi; bắt đầu bằng // để chỉ ghi chú trong tổ."
                : $"✍️ Gõ {Mention(staffMention)}/claim {t.Id} để nhận phiếu; gõ {Mention(staffMention)}#{t.Id} rồi nội dung để trả lời người hỏi; bắt đầu bằng // để chỉ ghi chú trong tổ.");
        }
        return sb.ToString();
    }

    /// <summary>The mention a group message must start with on a channel that hears only mentions, with its space; "" elsewhere.</summary>
    protected static string Mention(string? mention) => mention is null ? "" : mention + " ";

    public virtual string ChannelName(string channel) => channel switch
    {
        "telegram" => "Telegram",
        "zalo-bot" => "Zalo",
        "zalo-oa" => "Zalo OA",
        "sandbox" => "Sandbox",
        _ => channel,
    };

    /// <summary>One ticket in a staff message that announces several new tickets at once.</summary>
    public virtual string BatchCardLine(Ticket t, string category) =>
        $"#{t.Id} · {t.CitizenName} · {category}{(t.IsPrivate ? "" : $" · {t.ChatTitle}")}: {Shorten(OneLine(Privacy.MaskIdNumbers(t.Question)), 90)}";

    public virtual string BatchCardHeader(int count) =>
        $"🆕 {count} phiếu mới. Bấm «Nhận» để nhận; trả lời bằng: #số_phiếu nội dung.";

    public virtual string BatchClaimButton(long ticket) => $"Nhận #{ticket}";

    /// <summary>One citizen in an acknowledgement naming several questions at once.</summary>
    public virtual string BatchAckLine(long ticket, string citizen) => $"{citizen} (#{ticket})";

    public virtual string BatchAck(IReadOnlyList<string> lines) =>
        $"Dạ, tổ hỗ trợ đã ghi nhận câu hỏi của: {string.Join(", ", lines)}. Cán bộ sẽ trả lời ngay dưới từng câu hỏi trong giờ làm việc ạ.";

    public virtual string FollowUp(long ticket, string citizen, string text) => $"↪️ #{ticket} · {citizen}: {Privacy.MaskIdNumbers(text)}";

    public virtual string FollowUpAttachment(long ticket, string citizen) => $"↪️ #{ticket} · {citizen} gửi thêm:";

    /// <summary>An attachment that cannot be shown in the staff chat because it stayed on the citizen's channel.</summary>
    public virtual string AttachmentOnlyOn(string channel) => $"📎 (một tệp đính kèm, chỉ xem được trên {channel})";

    public virtual string AttachmentNotCarried(long ticket, string channel) =>
        $"⚠️ Phiếu #{ticket}: ảnh/tệp đính kèm không gửi được sang {channel}, người hỏi chỉ nhận phần chữ. Anh/chị mô tả bằng lời nếu cần ạ.";

    public virtual string CitizenSaysNotSolved(long ticket, string? owner) =>
        owner is null
            ? $"⚠️ Phiếu #{ticket}: người hỏi báo CHƯA giải quyết, cần trả lời thêm ạ."
            : $"⚠️ Phiếu #{ticket}: người hỏi báo CHƯA giải quyết. {owner} xem lại giúp ạ.";

    public virtual string YouClaimed(long ticket) => $"Anh/chị đã nhận phiếu #{ticket}. Trả lời (reply) thẻ phiếu, hoặc gõ #{ticket} rồi nội dung, để gửi câu trả lời ạ.";

    public virtual string Claimed(long ticket, string member) => $"🛠 {member} đã nhận phiếu #{ticket}.";

    public virtual string AlreadyClaimedBy(long ticket, string owner) => $"Phiếu #{ticket} đã do {owner} nhận rồi ạ.";

    public virtual string Unclaimed(long ticket, string member) => $"{member} đã trả phiếu #{ticket}; phiếu đang chờ người nhận.";

    public virtual string AnsweredInGroup(long ticket, string member, string text) => $"💬 #{ticket} · {member} đã trả lời trong nhóm: {text}";

    public virtual string OwnedByOther(long ticket, string owner) =>
        $"Phiếu #{ticket} đang do {owner} xử lý. Nhờ {owner} trả lời, hoặc {owner} dùng /unclaim {ticket} để trả phiếu ạ.";

    public virtual string TicketClosedUseReopen(long ticket) =>
        $"Phiếu #{ticket} đã đóng. Dùng /reopen {ticket} để mở lại trước khi trả lời ạ.";

    public virtual string ReplyNotLinked =>
        "Tin nhắn này không gắn với phiếu nào nên chưa gửi cho người hỏi. Anh/chị trả lời (reply) thẻ phiếu, hoặc gõ: #số_phiếu nội dung ạ.";

    public virtual string TicketNotFound(long ticket) => $"Không tìm thấy phiếu #{ticket} ạ.";

    public virtual string NotAllowed(long ticket, TicketState state, string action) =>
        $"Phiếu #{ticket} đang ở trạng thái «{ShortStateName(state)}», không thể {action} ạ.";

    public virtual string ActionClaim => "nhận xử lý";
    public virtual string ActionUnclaim => "trả phiếu";
    public virtual string ActionClose => "đóng";
    public virtual string ActionReopen => "mở lại";

    public virtual string Closed(long ticket, string member, bool cancelled, string? reason) =>
        (cancelled ? $"✖️ {member} đã huỷ phiếu #{ticket}" : $"✅ {member} đã đóng phiếu #{ticket}")
        + (string.IsNullOrWhiteSpace(reason) ? "." : $": {reason}");

    public virtual string Reopened(long ticket, string member) => $"⚠️ {member} đã mở lại phiếu #{ticket}.";

    public virtual string OnlyOwnerOrAdmin(long ticket, string owner) =>
        $"Phiếu #{ticket} đang do {owner} xử lý; chỉ {owner} hoặc quản trị viên mới trả phiếu được ạ.";

    public virtual string Usage(string usage) => $"Cách dùng: {usage}";

    public virtual string UnknownStaffCommand(string command) => $"Lệnh không rõ: /{command}. Gõ /help để xem các lệnh ạ.";

    public virtual string NoOpenTickets => "Không còn phiếu nào chưa giải quyết. 🎉";

    public virtual string NoTicketsOfYours => "Anh/chị không có phiếu nào đang mở ạ.";

    public virtual string OpenListTitle(int shown, int total) =>
        shown == total ? $"Phiếu chưa giải quyết ({total}), cũ nhất trước:" : $"Phiếu chưa giải quyết: {shown} phiếu cũ nhất trong {total}:";

    public virtual string MineTitle(int total) => $"Phiếu của anh/chị ({total}):";

    public virtual string ListLine(Ticket t, DateTimeOffset now) =>
        $"#{t.Id} · {ShortStateName(t.State)}{(t.AssigneeName is null || t.State == TicketState.New ? "" : $" ({t.AssigneeName})")} · chờ {Duration(now - t.CreatedAt)} · {t.CitizenName}: {Shorten(OneLine(Privacy.MaskIdNumbers(t.Question)), 80)}";

    public virtual string EventName(string kind) => kind switch
    {
        "Created" => "Tiếp nhận câu hỏi",
        "Claimed" => "Nhận xử lý",
        "Unclaimed" => "Trả phiếu",
        "Answered" => "Trả lời",
        "Resolved" => "Đã giải quyết",
        "Reopened" => "Mở lại",
        "Cancelled" => "Huỷ",
        "FollowUp" => "Người hỏi nhắn thêm",
        "Note" => "Ghi chú trong tổ",
        "FaqAnswer" => "Trả lời tự động",
        "CitizenNeedsHelp" => "Người hỏi cần người hỗ trợ",
        "Rated" => "Người hỏi chấm điểm",
        "VisitRequested" => "Đề nghị thăm nhà",
        "VisitClaimed" => "Nhận đi thăm nhà",
        "VisitDone" => "Đã thăm nhà",
        "CategoryChanged" => "Đổi lĩnh vực",
        "CitizenSolved" => "Người hỏi xác nhận đã giải quyết",
        "CitizenNotSolved" => "Người hỏi báo chưa giải quyết",
        "DeliveryFailed" => "Không gửi được tin nhắn",
        "CitizenUnreachable" => "Không liên lạc được với người hỏi",
        _ => kind,
    };

    public virtual string StaffHelp(bool isAdmin)
    {
        var sb = new StringBuilder();
        sb.AppendLine("Cách làm việc với phiếu hỗ trợ:");
        sb.AppendLine("• Bấm «Nhận xử lý» trên thẻ phiếu, hoặc /claim 12.");
        sb.AppendLine("• Trả lời (reply) thẻ phiếu: câu trả lời được gửi cho người hỏi. Reply khi phiếu chưa ai nhận là nhận luôn.");
        sb.AppendLine("• Hoặc gõ: #12 nội dung trả lời.");
        sb.AppendLine("• Bắt đầu bằng // (ví dụ: // #12 ai biết giúp với) là ghi chú trong tổ, không gửi cho người hỏi.");
        sb.AppendLine();
        sb.AppendLine("/open – phiếu chưa giải quyết, cũ nhất trước");
        sb.AppendLine("/mine – phiếu của tôi");
        sb.AppendLine("/ticket 12 – lịch sử phiếu #12");
        sb.AppendLine("/claim 12 · /unclaim 12 – nhận, trả phiếu");
        sb.AppendLine("/close 12 [lý do] – đóng phiếu");
        sb.AppendLine("/reopen 12 – mở lại phiếu");
        sb.AppendLine("/cat 12 <lĩnh vực> – đổi lĩnh vực của phiếu");
        sb.AppendLine("/away · /back – tạm vắng, quay lại");
        sb.AppendLine("/visit 12 <thôn> <địa chỉ> – đề nghị tổ thôn thăm nhà");
        if (isAdmin)
        {
            sb.AppendLine();
            sb.AppendLine("Quản trị viên:");
            sb.AppendLine("/stats [today|week|month] – số liệu, thời gian phản hồi");
            sb.AppendLine("/team – danh sách tổ hỗ trợ");
            sb.AppendLine("/team add <id> <tên> (hoặc trả lời tin nhắn của người đó) · /team remove <id>");
            sb.AppendLine("/team skills <id|tên> <lĩnh vực,...> · /admin add|remove <id>");
            sb.AppendLine("/ban <id> · /unban <id> – chặn, bỏ chặn người gửi tin rác");
            sb.AppendLine("/forget <id> hoặc /forget #12 – xoá dữ liệu cá nhân của người hỏi");
            sb.AppendLine("/faq add từ khoá, từ khoá | câu trả lời · /faq list · /faq remove 3 – câu trả lời tự động");
            sb.AppendLine("/export [YYYY-MM-DD] [YYYY-MM-DD] – xuất tệp CSV");
        }
        return sb.ToString().TrimEnd();
    }

    public virtual string ExportNeedsFiles(string channel) =>
        $"Dạ, bot không gửi được tệp trên {channel} nên chưa xuất được file ở đây. Anh/chị gõ /export trong chat riêng với bot trên Telegram (nếu có), hoặc nhờ người quản trị máy chủ chạy lệnh: HelpBot export --from 2026-11-01 --to 2026-11-30 ạ.";

    public virtual string ExportCaption(DateOnly? from, DateOnly? to) =>
        (from, to) switch
        {
            (null, null) => "Xuất toàn bộ phiếu (CSV, giờ UTC).",
            _ => $"Xuất phiếu từ {from?.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "đầu"} đến {to?.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "nay"} (CSV, giờ UTC).",
        };

    public virtual string CategoryChanged(long ticket, string category) => $"Phiếu #{ticket} đã chuyển sang lĩnh vực «{category}».";

    public virtual string UnknownCategory(string typed, IEnumerable<string> known) =>
        $"Không có lĩnh vực «{typed}». Các lĩnh vực: {string.Join(", ", known)}.";

    public virtual string TeamEmpty =>
        "Tổ hỗ trợ chưa có thành viên. Ai nhắn tin trong nhóm cán bộ sẽ được ghi nhận là thành viên.";

    public virtual string TeamTitle(int count) => $"Tổ hỗ trợ ({count} người):";

    public virtual string TeamLine(string name, bool admin, string channel, string userId, long open) =>
        $"• {name}{(admin ? " (quản trị)" : "")} · {ChannelName(channel)} {userId} · đang giữ {open} phiếu";

    public virtual string TeamAdded(string name) => $"Đã thêm {name} vào tổ hỗ trợ.";

    public virtual string TeamMemberDetail(IReadOnlyList<string> skills, bool away, long answeredThisMonth, TimeSpan? medianFirstResponse) =>
        $"{(skills.Count == 0 ? "chưa có lĩnh vực" : string.Join(", ", skills))}{(away ? " · đang vắng" : "")} · tháng này trả lời {answeredThisMonth}"
        + (medianFirstResponse is { } m ? $", trung vị phản hồi {Duration(m)}" : "");

    public virtual string AdminAdded(string name) => $"{name} đã là quản trị viên.";

    public virtual string AdminRemoved(string name) => $"{name} không còn là quản trị viên.";

    public virtual string AdminFromConfiguration => "Người này là quản trị viên trong cấu hình (HelpBot:Admins); sửa cấu hình để bỏ ạ.";

    public virtual string SkillsSet(string name, IReadOnlyList<string> skills) =>
        skills.Count == 0 ? $"{name} chưa nhận lĩnh vực nào." : $"{name} phụ trách: {string.Join(", ", skills)}.";

    public virtual string NowAway(string name) => $"{name} đang vắng: thẻ phiếu mới sẽ không gợi ý anh/chị. Gõ /back khi quay lại ạ.";

    public virtual string NowBack(string name) => $"Chào mừng {name} quay lại; thẻ phiếu mới sẽ gợi ý anh/chị theo lĩnh vực.";

    public virtual string TeamRemoved(string name, IReadOnlyList<long> released) =>
        released.Count == 0
            ? $"{name} đã rời tổ hỗ trợ."
            : $"{name} đã rời tổ hỗ trợ; phiếu {string.Join(", ", released.Select(id => $"#{id}"))} trở về chờ người nhận.";

    public virtual string TeamNotMember(string userId) => $"Không có thành viên {userId} trong tổ ạ.";

    public virtual string HistoryTitle => "Lịch sử:";

    /// <summary>"2 giờ 15 phút".</summary>
    public virtual string Duration(TimeSpan span) => LocalTime.Duration(span);

    /// <summary>A report period's name from its key: today, week, or a month as yyyy-MM.</summary>
    public virtual string PeriodName(string key) => key switch
    {
        "today" => "hôm nay",
        "week" => "tuần này",
        _ when key.Length == 7 && key[4] == '-' => $"tháng {int.Parse(key[5..], System.Globalization.CultureInfo.InvariantCulture)}/{key[..4]}",
        _ => key,
    };

    /// <summary>How to call a command, for "Cách dùng: ...".</summary>
    public virtual string CommandUsage(string command) => command switch
    {
        "hoi" => "/hoi <câu hỏi>",
        "claim" or "unclaim" or "reopen" or "ticket" => $"/{command} 12",
        "close" => "/close 12 [lý do]",
        "cat" => "/cat 12 <lĩnh vực>",
        "stats" => "/stats [today|week|month|YYYY-MM] [@thành_viên | categories | groups | channels]",
        "team" => "/team · /team add <id> <tên> (hoặc trả lời tin nhắn của người đó) · /team remove <id> · /team skills <id|tên> <lĩnh vực,...>",
        "admin" => "/admin add <id> [tên] (hoặc trả lời tin nhắn của người đó) · /admin remove <id>",
        "export" => "/export [YYYY-MM-DD] [YYYY-MM-DD]",
        "ban" => "/ban <id> [lý do] (hoặc trả lời tin nhắn của người đó)",
        "unban" => "/unban <id>",
        "forget" => "/forget <id> hoặc /forget #12 (người đã hỏi phiếu 12)",
        "faq" => "/faq add <từ khoá, từ khoá> | <câu trả lời> · /faq list · /faq remove <số>",
        "visit" => "/visit 12 <thôn> <địa chỉ, ghi chú>",
        _ => $"/{command}",
    };

    /// <summary>The description shown beside a command in the platform's command menu.</summary>
    public virtual string CommandDescription(string command) => command switch
    {
        "start" => "Cách đặt câu hỏi",
        "help" => "Hướng dẫn",
        "hoi" => "Đặt câu hỏi",
        "claim" => "Nhận xử lý phiếu",
        "unclaim" => "Trả phiếu",
        "close" => "Đóng phiếu",
        "reopen" => "Mở lại phiếu",
        "open" => "Phiếu chưa giải quyết",
        "mine" => "Phiếu của tôi",
        "ticket" => "Lịch sử phiếu",
        "cat" => "Đổi lĩnh vực phiếu",
        "away" => "Tạm vắng",
        "back" => "Đã quay lại",
        "stats" => "Số liệu",
        "team" => "Tổ hỗ trợ",
        "admin" => "Quản trị viên",
        "export" => "Xuất CSV",
        "ban" => "Chặn người gửi tin rác",
        "unban" => "Bỏ chặn",
        "forget" => "Xoá dữ liệu cá nhân của người hỏi",
        "faq" => "Câu trả lời tự động",
        "visit" => "Đề nghị thăm nhà",
        _ => command,
    };

    public virtual string StatsHeading(string period, string range, string? member) =>
        member is null ? $"📊 Số liệu {period} ({range})" : $"📊 Số liệu {period} ({range}) của {member}";

    public virtual string StatsReceived(long received) => $"Tiếp nhận: {received} câu hỏi";

    public virtual string StatsFlow(long answered, long resolved, long reopened) =>
        $"Đã trả lời trong kỳ: {answered} · đã giải quyết: {resolved} · mở lại: {reopened}";

    public virtual string StatsOpenNow(long open) => $"Đang mở (tất cả): {open}";

    public virtual string StatsFirstResponse(string figures, string? onTime) =>
        $"Phản hồi đầu tiên: {figures}" + (onTime is null ? "" : $"; đúng hạn {onTime}");

    public virtual string StatsResolution(string figures, string? onTime) =>
        $"Giải quyết: {figures}" + (onTime is null ? "" : $"; đúng hạn {onTime}");

    public virtual string StatsInWorkingTime(string figures) => $"tính theo giờ làm việc: {figures}";

    public virtual string StatsRatings(double average, long count, IReadOnlyList<long> distribution) =>
        $"Mức hài lòng: ⭐ {average.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}/5 ({count} lượt; 1–5 sao: {string.Join(" · ", distribution)})";

    public virtual string StatsDurations(string median, string p90, long count) => $"trung vị {median}, 90% trong {p90} ({count} phiếu)";

    public virtual string StatsNone => "chưa có";

    public virtual string StatsNothing => "Không có câu hỏi nào trong kỳ.";

    public virtual string StatsMembersTitle => "Theo cán bộ (nhận · trả lời · giải quyết · trung vị phản hồi):";

    public virtual string StatsBreakdownHeading(HelpBot.Reports.Breakdown by, string period, string range) =>
        $"📊 {by switch { HelpBot.Reports.Breakdown.Group => "Theo nhóm", HelpBot.Reports.Breakdown.Channel => "Theo kênh", _ => "Theo lĩnh vực" }} {period} ({range})";

    public virtual string StatsBreakdownColumns => "(tiếp nhận · trả lời · giải quyết · mở lại · đang mở · trung vị phản hồi · đúng hạn)";

    public virtual string PrivateChats => "Nhắn riêng";

    public virtual string FirstResponseAfter(TimeSpan span, TimeSpan? working = null) =>
        $"Phản hồi đầu tiên sau {Duration(span)}" + (working is { } w ? $" ({Duration(w)} làm việc)" : "");

    public virtual string ResolvedAfter(TimeSpan span, TimeSpan? working = null) =>
        $"Giải quyết sau {Duration(span)}" + (working is { } w ? $" ({Duration(w)} làm việc)" : "");

    public virtual string SlaReminder(long ticket, bool firstResponse, string? owner, DateTimeOffset due) =>
        $"⏰ Phiếu #{ticket}: sắp đến hạn {(firstResponse ? "phản hồi" : "giải quyết")} ({LocalTime.Format(due)})"
        + (owner is null ? ", chưa ai nhận. Ai rảnh nhận giúp ạ." : $". {owner} xem giúp ạ.");

    public virtual string SlaBreach(long ticket, bool firstResponse, string? owner, DateTimeOffset due, IReadOnlyList<string> admins) =>
        $"🚨 Phiếu #{ticket} đã quá hạn {(firstResponse ? "phản hồi" : "giải quyết")} ({LocalTime.Format(due)})"
        + (owner is null ? ", chưa ai nhận" : $", đang do {owner} xử lý")
        + (admins.Count == 0 ? "." : $". Báo quản trị viên: {string.Join(", ", admins)}.");

    public virtual string AdminFallbackName => "quản trị viên";

    public virtual string IdleReleased(long ticket, string owner, TimeSpan idle) =>
        $"↩️ Phiếu #{ticket} đã trả về chờ nhận: {owner} chưa cập nhật trong {Duration(idle)} làm việc.";

    public virtual string DeliveryFailed(long ticket, string why) =>
        $"❗ Phiếu #{ticket}: không gửi được tin nhắn tới người hỏi ({why}).";

    /// <summary>
    /// The platform refuses to deliver to the citizen (Zalo's messaging window, a block): the team must reach them another
    /// way. The platform's own error code stays in the log and on the ticket's record, not in this text.
    /// </summary>
    public virtual string CitizenUnreachable(long ticket, string channel) =>
        $"❗ Phiếu #{ticket}: không gửi được tin nhắn cho người hỏi trên {channel}, vì người hỏi đã quá 7 ngày không nhắn cho OA, "
        + "hoặc đã chặn/bỏ theo dõi OA. Cán bộ vui lòng gọi điện cho người hỏi hoặc hẹn gặp tại Trung tâm Phục vụ hành chính công xã ạ.";

    public static string Shorten(string text, int limit) =>
        text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 1), "…");

    public static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
