using System.Globalization;
using System.Text;
using HelpBot.Tickets;

namespace HelpBot.Text;

/// <summary>
/// The same texts in plain, polite English, for an English-speaking commune or for foreign residents.
/// Citizens hear "question #12"; the team says "ticket #12". Command names (/claim, /hoi…) and the
/// "//" note marker stay as they are.
/// </summary>
public sealed class EnglishTexts : Texts
{
    // ---- citizens ----

    public override string AckInGroup(long ticket) =>
        $"Thank you, we have received your question #{ticket}. A staff member will answer right below your question during office hours.";

    public override string AckInPrivate(long ticket) =>
        $"Thank you, we have received your question #{ticket}. A staff member will reply to you here during office hours.";

    public override string AckOutOfHours(long ticket, bool inGroup, DateTimeOffset resumes, DateTimeOffset now) =>
        $"Thank you, we have received your question #{ticket}. Our office is closed now; our staff will answer {(inGroup ? "under your question " : "")}{WhenWorkResumes(resumes, now)}.";

    public override string WhenWorkResumes(DateTimeOffset resumes, DateTimeOffset now)
    {
        var at = LocalTime.ToLocal(resumes);
        var today = LocalTime.ToLocal(now).Date;
        var day = (at.Date - today).Days switch
        {
            0 => "today",
            1 => "tomorrow",
            _ => at.ToString("dddd d MMMM", CultureInfo.InvariantCulture),
        };
        return $"from {at.ToString("HH:mm", CultureInfo.InvariantCulture)} {day}";
    }

    public override string SlaReminder(long ticket, bool firstResponse, string? owner, DateTimeOffset due) =>
        $"⏰ Ticket #{ticket}: the {(firstResponse ? "first response" : "resolution")} is due soon ({LocalTime.Format(due)})"
        + (owner is null ? ", and nobody has claimed it yet." : $". {owner}, please have a look.");

    public override string SlaBreach(long ticket, bool firstResponse, string? owner, DateTimeOffset due, IReadOnlyList<string> admins) =>
        $"🚨 Ticket #{ticket} is past its {(firstResponse ? "first response" : "resolution")} target ({LocalTime.Format(due)})"
        + (owner is null ? ", unclaimed" : $", held by {owner}")
        + (admins.Count == 0 ? "." : $". Escalated to: {string.Join(", ", admins)}.");

    public override string AdminFallbackName => "administrator";

    public override string IdleReleased(long ticket, string owner, TimeSpan idle) =>
        $"↩️ Ticket #{ticket} is back in the queue: {owner} has not updated it for {Duration(idle)} of working time.";

    public override string AskWhatIsNeeded => "Could you please tell us what you need help with regarding this message?";

    public override string AnswerHeader(long ticket) => $"Here is our answer to your question #{ticket}:";

    public override string AnswerHeaderInGroup(long ticket, string citizen, string question) =>
        $"{citizen}, here is our answer to your question #{ticket} (“{QuestionStart(question)}”):";

    public override string AskFeedback => "Did this answer help you?";

    public override string ButtonSolved => "Solved";

    public override string ButtonNotSolved => "Not solved";

    public override string ThanksForFeedback(long ticket) =>
        $"Thank you. Your question #{ticket} is now marked as solved.";

    public override string WillLookAgain(long ticket) =>
        $"Thank you. We will look at your question #{ticket} again and send you a further answer.";

    public override string ButtonNotForYou => "Sorry, this button is only for the person who asked the question.";

    public override string ButtonOutdated => "Sorry, this question has already been closed.";

    public override string StillWorkingOnIt => "We are still looking into this question. Please wait a little longer.";

    public override string Welcome =>
        "Hello! This is the commune's support team for administrative procedures. " +
        "Please send your question here, for example: “What documents do I need to register a birth?” " +
        "A staff member will answer you right here.";

    public override string SmallTalkReply =>
        "If you have a question about any procedure, please send it here and we will answer.";

    public override string YouAreWelcome => "You are welcome. If you have more questions, please send them here.";

    public override string AskCommandNeedsText =>
        "Please type your question right after /hoi, for example: /hoi where can I get an ID card for my child?";

    public override string StaffOnly =>
        "Sorry, this command is only for the support team. Please just ask your question, and the team will answer.";

    public override string AdminOnly => "Sorry, this command is only for administrators.";

    public override string UnknownCommandForCitizen =>
        "Sorry, we do not understand this command. Please send your question as a normal message, and a staff member will answer.";

    public override string SomethingWentWrong =>
        "Sorry, the system has a small problem. Please send your message again in a few minutes.";

    public override string Banned(string userId) => $"Blocked {userId}: their messages will not open tickets.";

    public override string Unbanned(string userId) => $"Unblocked {userId}.";

    public override string NotBanned(string userId) => $"{userId} is not blocked.";

    public override string Forgot(int tickets) =>
        $"Erased the citizen's personal data in {tickets} ticket(s); the anonymous timings are kept for the statistics.";

    public override string ForgottenName => "(erased)";

    public override string ForgottenQuestion => "(content erased on request)";

    public override string ButtonNeedsHelp => "I need a person";

    public override string AutomaticAnswerer => "Automatic answer";

    public override string FaqAnswer(long ticket, string answer) =>
        $"Here is an automatic answer to your question #{ticket}:\n\n{answer}\n\nIf it does not help, press «I need a person» and our staff will answer.";

    public override string ChoicesIntro => "Reply with a number to choose:";

    public override string ChoicesIntroMentioning(string mention) => $"Reply with {mention} and a number to choose (for example: {mention} 1):";

    public override string AskRating => "How satisfied are you with our help? Please rate from 1 to 5 stars.";

    public override string RatingButton(int score) => $"{score}⭐";

    public override string ThanksForRating(int score) => $"Thank you for your rating of {score} stars.";

    public override string ButtonClaimVisit => "I'll visit";

    public override string VisitCard(Ticket t, string village, string note, string? requestedBy) =>
        $"🏠 Home visit · ticket #{t.Id} · {village}\nVisit: {t.CitizenName}\nAddress, note: {note}\nQuestion: {Shorten(OneLine(Privacy.MaskIdNumbers(t.Question)), 500)}"
        + (requestedBy is null ? "" : $"\nRequested by: {requestedBy}")
        + "\n↩️ After the visit, reply to this card with the outcome.";

    public override string VisitGoing(string member) => $"Visiting: {member}";

    public override string VisitRequested(long ticket, string village, long visit) => $"Home visit requested (ticket #{ticket}) from {village}.";

    public override string VisitYours(long ticket) => $"You are visiting (ticket #{ticket}). Afterwards, reply to the card with the outcome.";

    public override string VisitTaken(long ticket) => $"Someone is already visiting for ticket #{ticket}.";

    public override string NoOpenVisit(long ticket) => $"Ticket #{ticket} has no pending home visit.";

    public override string VisitReported(long ticket, string village, string member, string outcome) =>
        $"🏠 #{ticket} · {village}: {member} made the home visit. Outcome: {outcome}";

    public override string UnknownVillage(IReadOnlyList<string> villages) =>
        villages.Count == 0
            ? "No village chats are configured (HelpBot:Villages)."
            : $"Unknown village. Villages: {string.Join(", ", villages)}. Usage: /visit 12 <village> <address, note>";

    public override string FaqAdded(long id) => $"Automatic answer {id} added.";

    public override string FaqRemoved(long id) => $"Automatic answer {id} removed.";

    public override string FaqNotFound(long id) => $"There is no automatic answer {id}.";

    public override string FaqEmpty => "No automatic answers yet. Add one with: /faq add keyword, keyword | answer";

    public override string FaqLine(long id, string keywords, string answer) => $"{id}. [{keywords}] {Shorten(OneLine(answer), 120)}";

    public override string TooManyMessages =>
        "Thank you, we have received your messages. Please wait for our staff to reply; there is no need to send more.";

    public override string EmptyMessage => "Sorry, your message is empty. Could you please send your question again?";

    // ---- the staff chat ----

    public override string ButtonClaim => "Claim";

    public override string ButtonUnclaim => "Release";

    public override string StateName(TicketState state) => state switch
    {
        TicketState.New => "New, not claimed yet",
        TicketState.Claimed => "In progress",
        TicketState.Answered => "Answered, waiting for the citizen to confirm",
        TicketState.Resolved => "Resolved",
        TicketState.Reopened => "Citizen says not solved, needs a further answer",
        TicketState.Cancelled => "Cancelled",
        _ => state.ToString(),
    };

    public override string ShortStateName(TicketState state) => state switch
    {
        TicketState.New => "New",
        TicketState.Claimed => "In progress",
        TicketState.Answered => "Answered",
        TicketState.Resolved => "Resolved",
        TicketState.Reopened => "Reopened",
        TicketState.Cancelled => "Cancelled",
        _ => state.ToString(),
    };

    /// <param name="staffCanReply">False when the staff chat's channel has no replies (Zalo): the card says how to answer by ticket number.</param>
    public override string Card(Ticket t, DateTimeOffset now, string? category = null, IReadOnlyList<(string Name, long Open)>? suggested = null,
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
        var where = t.IsPrivate ? "private chat" : string.IsNullOrWhiteSpace(t.ChatTitle) ? "support group" : $"group «{t.ChatTitle}»";
        var sb = new StringBuilder();
        sb.Append(icon).Append(" Ticket #").Append(t.Id).Append(" · ").Append(ChannelName(t.Channel)).Append(", ").Append(where).AppendLine();
        sb.Append("From: ").Append(t.CitizenName).Append(" · ").AppendLine(LocalTime.FormatShort(t.CreatedAt, now));
        if (category is not null)
        {
            sb.Append("Category: ").AppendLine(category);
        }
        sb.AppendLine();
        sb.AppendLine(Shorten(Privacy.MaskIdNumbers(t.Question), CardQuestionLimit));
        sb.AppendLine();
        sb.Append("Status: ").Append(StateName(t.State));
        if (t.AssigneeName is not null && t.State is not TicketState.New)
        {
            sb.Append(" · ").Append(t.AssigneeName);
        }
        if (t.ReopenCount > 0)
        {
            sb.Append(" · reopened ").Append(Count(t.ReopenCount, "time", "times"));
        }
        if (suggested is { Count: > 0 })
        {
            sb.AppendLine().Append("Suggested: ").Append(string.Join(", ", suggested.Select(m => $"{m.Name} ({Count(m.Open, "ticket", "tickets")})")));
        }
        if (t.IsOpen)
        {
            sb.AppendLine().Append(staffCanReply
                ? "↩️ Reply to this message to send your answer to the citizen; start with // to write a note for the team only."
                : $"✍️ Type {Mention(staffMention)}/claim {t.Id} to claim it; type {Mention(staffMention)}#{t.Id} and your answer to answer the citizen; start with // to write a note for the team only.");
        }
        return sb.ToString();
    }

    public override string ChannelName(string channel) => channel switch
    {
        "telegram" => "Telegram",
        "zalo-bot" => "Zalo",
        "zalo-oa" => "Zalo OA",
        "sandbox" => "Sandbox",
        _ => channel,
    };

    public override string BatchCardLine(Ticket t, string category) =>
        $"#{t.Id} · {t.CitizenName} · {category}{(t.IsPrivate ? "" : $" · {t.ChatTitle}")}: {Shorten(OneLine(Privacy.MaskIdNumbers(t.Question)), 90)}";

    public override string BatchCardHeader(int count) =>
        $"🆕 {count} new tickets. Press «Claim» to take one; answer with: #ticket_number your answer.";

    public override string BatchClaimButton(long ticket) => $"Claim #{ticket}";

    public override string BatchAckLine(long ticket, string citizen) => $"{citizen} (#{ticket})";

    public override string BatchAck(IReadOnlyList<string> lines) =>
        $"Thank you, we have received the questions of: {string.Join(", ", lines)}. Our staff will answer under each question during working hours.";

    public override string FollowUp(long ticket, string citizen, string text) => $"↪️ #{ticket} · {citizen}: {Privacy.MaskIdNumbers(text)}";

    public override string FollowUpAttachment(long ticket, string citizen) => $"↪️ #{ticket} · {citizen} also sent:";

    public override string AttachmentOnlyOn(string channel) => $"📎 (an attachment, visible on {channel} only)";

    public override string AttachmentNotCarried(long ticket, string channel) =>
        $"⚠️ Ticket #{ticket}: the attachment cannot be sent to {channel}; the citizen gets the text only. Describe it in words if needed.";

    public override string CitizenSaysNotSolved(long ticket, string? owner) =>
        owner is null
            ? $"⚠️ Ticket #{ticket}: the citizen says it is NOT solved; a further answer is needed."
            : $"⚠️ Ticket #{ticket}: the citizen says it is NOT solved. {owner}, please take another look.";

    public override string YouClaimed(long ticket) => $"You claimed ticket #{ticket}. Reply to the ticket card, or type #{ticket} and your answer, to send it.";

    public override string Claimed(long ticket, string member) => $"🛠 {member} claimed ticket #{ticket}.";

    public override string AlreadyClaimedBy(long ticket, string owner) => $"Ticket #{ticket} is already claimed by {owner}.";

    public override string Unclaimed(long ticket, string member) => $"{member} released ticket #{ticket}; it is waiting to be claimed.";

    public override string AnsweredInGroup(long ticket, string member, string text) => $"💬 #{ticket} · {member} answered in the group: {text}";

    public override string OwnedByOther(long ticket, string owner) =>
        $"Ticket #{ticket} is being handled by {owner}. Please ask {owner} to answer, or {owner} can use /unclaim {ticket} to release it.";

    public override string TicketClosedUseReopen(long ticket) =>
        $"Ticket #{ticket} is closed. Use /reopen {ticket} to reopen it before answering.";

    public override string ReplyNotLinked =>
        "This message is not linked to any ticket, so it was not sent to the citizen. Please reply to the ticket card, or type: #ticket_number your answer.";

    public override string TicketNotFound(long ticket) => $"Ticket #{ticket} was not found.";

    public override string NotAllowed(long ticket, TicketState state, string action) =>
        $"Ticket #{ticket} has status «{ShortStateName(state)}», so you cannot {action} it.";

    public override string ActionClaim => "claim";
    public override string ActionUnclaim => "release";
    public override string ActionClose => "close";
    public override string ActionReopen => "reopen";

    public override string Closed(long ticket, string member, bool cancelled, string? reason) =>
        (cancelled ? $"✖️ {member} cancelled ticket #{ticket}" : $"✅ {member} closed ticket #{ticket}")
        + (string.IsNullOrWhiteSpace(reason) ? "." : $": {reason}");

    public override string Reopened(long ticket, string member) => $"⚠️ {member} reopened ticket #{ticket}.";

    public override string OnlyOwnerOrAdmin(long ticket, string owner) =>
        $"Ticket #{ticket} is being handled by {owner}; only {owner} or an administrator can release it.";

    public override string Usage(string usage) => $"Usage: {usage}";

    public override string UnknownStaffCommand(string command) => $"Unknown command: /{command}. Type /help to see the commands.";

    public override string NoOpenTickets => "No open tickets left. 🎉";

    public override string NoTicketsOfYours => "You have no open tickets.";

    public override string OpenListTitle(int shown, int total) =>
        shown == total ? $"Open tickets ({total}), oldest first:" : $"Open tickets: the {shown} oldest of {total}:";

    public override string MineTitle(int total) => $"Your tickets ({total}):";

    public override string ListLine(Ticket t, DateTimeOffset now) =>
        $"#{t.Id} · {ShortStateName(t.State)}{(t.AssigneeName is null || t.State == TicketState.New ? "" : $" ({t.AssigneeName})")} · waiting {Duration(now - t.CreatedAt)} · {t.CitizenName}: {Shorten(OneLine(Privacy.MaskIdNumbers(t.Question)), 80)}";

    public override string EventName(string kind) => kind switch
    {
        "Created" => "Question received",
        "Claimed" => "Claimed",
        "Unclaimed" => "Released",
        "Answered" => "Answered",
        "Resolved" => "Resolved",
        "Reopened" => "Reopened",
        "Cancelled" => "Cancelled",
        "FollowUp" => "Citizen sent more",
        "Note" => "Team note",
        "FaqAnswer" => "Automatic answer",
        "CitizenNeedsHelp" => "Citizen asked for a person",
        "Rated" => "Citizen rated the help",
        "VisitRequested" => "Home visit requested",
        "VisitClaimed" => "Home visit taken",
        "VisitDone" => "Home visit made",
        "CategoryChanged" => "Category changed",
        "CitizenSolved" => "Citizen confirmed it is solved",
        "CitizenNotSolved" => "Citizen says it is not solved",
        "DeliveryFailed" => "Message could not be delivered",
        "CitizenUnreachable" => "Citizen cannot be reached",
        _ => kind,
    };

    public override string StaffHelp(bool isAdmin)
    {
        var sb = new StringBuilder();
        sb.AppendLine("How to work with tickets:");
        sb.AppendLine("• Press «Claim» on the ticket card, or type /claim 12.");
        sb.AppendLine("• Reply to the ticket card: your answer is sent to the citizen. Replying to an unclaimed ticket also claims it.");
        sb.AppendLine("• Or type: #12 your answer.");
        sb.AppendLine("• Start with // (for example: // #12 can anyone help?) to write a team note; it is not sent to the citizen.");
        sb.AppendLine();
        sb.AppendLine("/open – open tickets, oldest first");
        sb.AppendLine("/mine – my tickets");
        sb.AppendLine("/ticket 12 – history of ticket #12");
        sb.AppendLine("/claim 12 · /unclaim 12 – claim, release a ticket");
        sb.AppendLine("/close 12 [reason] – close a ticket");
        sb.AppendLine("/reopen 12 – reopen a ticket");
        sb.AppendLine("/cat 12 <category> – change the ticket's category");
        sb.AppendLine("/away · /back – mark yourself away, back again");
        if (isAdmin)
        {
            sb.AppendLine();
            sb.AppendLine("Administrators:");
            sb.AppendLine("/stats [today|week|month] – statistics, response times");
            sb.AppendLine("/team – list of the support team");
            sb.AppendLine("/team add <id> <name> (or reply to that person's message) · /team remove <id>");
            sb.AppendLine("/team skills <id|name> <category,...> · /admin add|remove <id>");
            sb.AppendLine("/ban <id> · /unban <id> – block, unblock a spammer");
            sb.AppendLine("/forget <id> or /forget #12 – erase a citizen's personal data");
            sb.AppendLine("/faq add keyword, keyword | answer · /faq list · /faq remove 3 – automatic answers");
            sb.AppendLine("/export [YYYY-MM-DD] [YYYY-MM-DD] – export a CSV file");
        }
        return sb.ToString().TrimEnd();
    }

    public override string ExportNeedsFiles(string channel) =>
        $"The bot cannot send files on {channel}, so the export cannot be sent here. Type /export in a private chat with the bot on Telegram (if you use it), or ask the server's administrator to run: HelpBot export --from 2026-11-01 --to 2026-11-30.";

    public override string ExportCaption(DateOnly? from, DateOnly? to) =>
        (from, to) switch
        {
            (null, null) => "Export of all tickets (CSV, times in UTC).",
            _ => $"Export of tickets from {from?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "the beginning"} to {to?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "today"} (CSV, times in UTC).",
        };

    public override string CategoryChanged(long ticket, string category) => $"Ticket #{ticket} moved to category «{category}».";

    public override string UnknownCategory(string typed, IEnumerable<string> known) =>
        $"There is no category «{typed}». Categories: {string.Join(", ", known)}.";

    public override string TeamEmpty =>
        "The support team has no members yet. Anyone who writes in the staff group will be registered as a member.";

    public override string TeamTitle(int count) => $"Support team ({Count(count, "member", "members")}):";

    public override string TeamLine(string name, bool admin, string channel, string userId, long open) =>
        $"• {name}{(admin ? " (admin)" : "")} · {ChannelName(channel)} {userId} · holding {Count(open, "ticket", "tickets")}";

    public override string TeamAdded(string name) => $"{name} was added to the support team.";

    public override string TeamMemberDetail(IReadOnlyList<string> skills, bool away, long answeredThisMonth, TimeSpan? medianFirstResponse) =>
        $"{(skills.Count == 0 ? "no categories yet" : string.Join(", ", skills))}{(away ? " · away" : "")} · answered {answeredThisMonth} this month"
        + (medianFirstResponse is { } m ? $", median first response {Duration(m)}" : "");

    public override string AdminAdded(string name) => $"{name} is now an administrator.";

    public override string AdminRemoved(string name) => $"{name} is no longer an administrator.";

    public override string AdminFromConfiguration => "This person is an administrator in the configuration (HelpBot:Admins); change the configuration to remove them.";

    public override string SkillsSet(string name, IReadOnlyList<string> skills) =>
        skills.Count == 0 ? $"{name} has no categories yet." : $"{name} handles: {string.Join(", ", skills)}.";

    public override string NowAway(string name) => $"{name} is now away: new ticket cards will not suggest you. Type /back when you return.";

    public override string NowBack(string name) => $"Welcome back, {name}! New ticket cards will suggest you again by category.";

    public override string TeamRemoved(string name, IReadOnlyList<long> released) =>
        released.Count == 0
            ? $"{name} has left the support team."
            : $"{name} has left the support team; {(released.Count == 1 ? "ticket" : "tickets")} {string.Join(", ", released.Select(id => $"#{id}"))} {(released.Count == 1 ? "is" : "are")} waiting to be claimed again.";

    public override string TeamNotMember(string userId) => $"There is no team member {userId}.";

    public override string HistoryTitle => "History:";

    public override string StatsHeading(string period, string range, string? member) =>
        member is null ? $"📊 Statistics, {period} ({range})" : $"📊 Statistics, {period} ({range}) for {member}";

    public override string StatsReceived(long received) => $"Received: {Count(received, "question", "questions")}";

    public override string StatsFlow(long answered, long resolved, long reopened) =>
        $"Answered in the period: {answered} · resolved: {resolved} · reopened: {reopened}";

    public override string StatsOpenNow(long open) => $"Open now (all): {open}";

    public override string StatsFirstResponse(string figures, string? onTime) =>
        $"First response: {figures}" + (onTime is null ? "" : $"; on time {onTime}");

    public override string StatsResolution(string figures, string? onTime) =>
        $"Resolution: {figures}" + (onTime is null ? "" : $"; on time {onTime}");

    public override string StatsDurations(string median, string p90, long count) =>
        $"median {median}, 90% within {p90} ({Count(count, "ticket", "tickets")})";

    public override string StatsNone => "none yet";

    public override string StatsNothing => "No questions in this period.";

    public override string StatsMembersTitle => "By staff member (claimed · answered · resolved · median first response):";

    public override string StatsBreakdownHeading(HelpBot.Reports.Breakdown by, string period, string range) =>
        $"📊 {by switch { HelpBot.Reports.Breakdown.Group => "By group", HelpBot.Reports.Breakdown.Channel => "By channel", _ => "By category" }}, {period} ({range})";

    public override string StatsBreakdownColumns => "(received · answered · resolved · reopened · open · median first response · on time)";

    public override string PrivateChats => "Private chats";

    public override string FirstResponseAfter(TimeSpan span, TimeSpan? working = null) =>
        $"First response after {Duration(span)}" + (working is { } w ? $" ({Duration(w)} of working time)" : "");

    public override string ResolvedAfter(TimeSpan span, TimeSpan? working = null) =>
        $"Resolved after {Duration(span)}" + (working is { } w ? $" ({Duration(w)} of working time)" : "");

    public override string StatsInWorkingTime(string figures) => $"in working time: {figures}";

    public override string StatsRatings(double average, long count, IReadOnlyList<long> distribution) =>
        $"Satisfaction: ⭐ {average.ToString("0.0", CultureInfo.InvariantCulture)}/5 ({count} ratings; 1–5 stars: {string.Join(" · ", distribution)})";

    public override string DeliveryFailed(long ticket, string why) =>
        $"❗ Ticket #{ticket}: the message could not be delivered to the citizen ({why}).";

    public override string CitizenUnreachable(long ticket, string channel) =>
        $"❗ Ticket #{ticket}: the message could not be delivered to the citizen on {channel}: they have not written to the OA for over 7 days, "
        + "or have blocked or unfollowed it. Please phone them or arrange to meet at the commune's public administration service centre.";

    public override string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span switch
        {
            { TotalMinutes: < 1 } => Count((long)span.TotalSeconds, "second", "seconds"),
            { TotalHours: < 1 } => Count((long)span.TotalMinutes, "minute", "minutes"),
            { TotalDays: < 1 } => span.Minutes == 0
                ? Count((long)span.TotalHours, "hour", "hours")
                : $"{Count((long)span.TotalHours, "hour", "hours")} {Count(span.Minutes, "minute", "minutes")}",
            _ => span.Hours == 0
                ? Count((long)span.TotalDays, "day", "days")
                : $"{Count((long)span.TotalDays, "day", "days")} {Count(span.Hours, "hour", "hours")}",
        };
    }

    public override string PeriodName(string key) => key switch
    {
        "today" => "today",
        "week" => "this week",
        _ when key.Length == 7 && key[4] == '-' =>
            new DateTime(int.Parse(key[..4], CultureInfo.InvariantCulture), int.Parse(key[5..], CultureInfo.InvariantCulture), 1, 0, 0, 0, DateTimeKind.Unspecified)
                .ToString("MMMM yyyy", CultureInfo.InvariantCulture),
        _ => key,
    };

    public override string CommandUsage(string command) => command switch
    {
        "hoi" => "/hoi <your question>",
        "claim" or "unclaim" or "reopen" or "ticket" => $"/{command} 12",
        "close" => "/close 12 [reason]",
        "cat" => "/cat 12 <category>",
        "stats" => "/stats [today|week|month|YYYY-MM] [@member | categories | groups | channels]",
        "team" => "/team · /team add <id> <name> (or reply to the person's message) · /team remove <id> · /team skills <id|name> <category,...>",
        "admin" => "/admin add <id> [name] (or reply to the person's message) · /admin remove <id>",
        "export" => "/export [YYYY-MM-DD] [YYYY-MM-DD]",
        "ban" => "/ban <id> [reason] (or reply to the person's message)",
        "unban" => "/unban <id>",
        "forget" => "/forget <id> or /forget #12 (whoever asked ticket 12)",
        "faq" => "/faq add <keyword, keyword> | <answer> · /faq list · /faq remove <number>",
        "visit" => "/visit 12 <village> <address, note>",
        _ => $"/{command}",
    };

    public override string CommandDescription(string command) => command switch
    {
        "start" => "How to ask a question",
        "help" => "Help",
        "hoi" => "Ask a question",
        "claim" => "Claim a ticket",
        "unclaim" => "Release a ticket",
        "close" => "Close a ticket",
        "reopen" => "Reopen a ticket",
        "open" => "Unresolved tickets",
        "mine" => "My tickets",
        "ticket" => "Ticket history",
        "cat" => "Change a ticket's category",
        "away" => "Away",
        "back" => "Back again",
        "stats" => "Statistics",
        "team" => "The support team",
        "admin" => "Administrators",
        "export" => "Export CSV",
        "ban" => "Block a spammer",
        "unban" => "Unblock",
        "forget" => "Erase a citizen's personal data",
        "faq" => "Automatic answers",
        "visit" => "Request a home visit",
        _ => command,
    };

    /// <summary>"1 ticket", "3 tickets".</summary>
    private static string Count(long n, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");
}
