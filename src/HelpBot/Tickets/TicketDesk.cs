using Dapper;
using HelpBot.Categories;
using HelpBot.Conversations;
using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Service;
using HelpBot.Storage;
using HelpBot.Text;

namespace HelpBot.Tickets;

/// <summary>Outbox priorities: answers to citizens first, then the staff's cards, then acknowledgements.</summary>
public static class Priority
{
    public const int Answer = 0;
    public const int Staff = 1;
    public const int Acknowledgement = 2;
}

/// <summary>Message roles recorded in <c>message_links</c>.</summary>
public static class LinkRoles
{
    public const string Question = "question";
    public const string Ack = "ack";
    public const string Card = "card";
    /// <summary>A staff message that announced several new tickets at once.</summary>
    public const string BatchCard = "card-batch";
    public const string Relay = "relay";
    public const string Answer = "answer";
    public const string FollowUp = "followup";
    public const string StaffAnswer = "staff-answer";
}

/// <summary>The outcome of a team member's action, told back to them.</summary>
public sealed record ActionResult(bool Done, string Message);

/// <summary>
/// Every change to a ticket goes through here: the ticket machine decides if the move is legal, and the
/// ticket row, its audit events, the citizen's conversation and the outbox rows are written in the
/// caller's transaction.
/// </summary>
public sealed class TicketDesk(Texts texts, TimeProvider time, IChatDirectory chats, CategoryCatalog categories, WorkingCalendar calendar)
{
    /// <summary>How many members a new card suggests.</summary>
    public const int Suggestions = 3;

    public const int MaxQuestionLength = 8000;

    public Texts Texts => texts;

    /// <summary>Opens a ticket for a citizen's question; <paramref name="conversation"/> is the citizen's, as read in this transaction.</summary>
    public async Task<Ticket> OpenAsync(DeskSession s, InboundEvent e, string question, string? pendingAttachmentId, Conversation conversation)
    {
        var now = time.GetUtcNow();
        var ticket = new Ticket
        {
            Channel = e.Channel,
            ChatId = e.ChatId,
            ChatTitle = e.ChatTitle,
            ChatKind = e.ChatKind,
            MessageId = e.MessageId ?? "",
            CitizenId = e.From.Id,
            CitizenName = e.From.DisplayName,
            Question = Texts.Shorten(question.Trim(), MaxQuestionLength),
            Category = categories.Classify(question).Code,
            State = TicketState.New,
            CreatedAt = now,
            UpdatedAt = now,
        };
        SetDueTimes(ticket, now, firstResponse: true);
        await s.InsertTicketAsync(ticket);
        var machine = new TicketMachine(ticket, time);
        machine.Created(Actor.Of(e.Channel, e.From.Id, e.From.DisplayName));
        await s.AddEventsAsync(machine.Events);

        new ConversationMachine(conversation).Asked(ticket.Id);
        await s.SaveConversationAsync(conversation, now);

        if (e.MessageId is not null)
        {
            await s.AddLinkAsync(e.Channel, e.ChatId, e.MessageId, ticket.Id, LinkRoles.Question, now);
        }
        if (pendingAttachmentId is null && !e.HasAttachment && FaqMatcher.Match(question, await s.ListFaqAsync()) is { } faq)
        {
            await AnswerFromFaqAsync(s, ticket, faq, conversation);
            return ticket;
        }
        await ReplyToCitizenAsync(s, ticket, e.MessageId, Priority.Acknowledgement, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = calendar.IsWorking(now)
                ? ticket.IsPrivate ? texts.AckInPrivate(ticket.Id) : texts.AckInGroup(ticket.Id)
                : texts.AckOutOfHours(ticket.Id, !ticket.IsPrivate, calendar.NextWorkingStart(now), now),
            LinkRole = LinkRoles.Ack,
            BatchLine = texts.BatchAckLine(ticket.Id, ticket.CitizenName),
        });
        await PostCardAsync(s, ticket);
        if (e.HasAttachment && e.MessageId is not null)
        {
            await RelayAttachmentAsync(s, ticket, e.ChatId, e.MessageId, caption: null);
        }
        if (pendingAttachmentId is not null)
        {
            await RelayAttachmentAsync(s, ticket, e.ChatId, pendingAttachmentId, caption: null);
        }
        return ticket;
    }

    /// <summary>
    /// A common question answered at once from the FAQ, marked as automatic: "Đã giải quyết" resolves it
    /// (answered automatically), "Cần người hỗ trợ" hands it to the team like any other.
    /// </summary>
    private async Task AnswerFromFaqAsync(DeskSession s, Ticket ticket, FaqEntry faq, Conversation conversation)
    {
        var machine = new TicketMachine(ticket, time);
        var bot = new Actor(Actor.System.Id, texts.AutomaticAnswerer);
        machine.Claim(bot);
        machine.Answer(bot);
        machine.Note("FaqAnswer", bot, $"faq {faq.Id}");
        ticket.FaqEntryId = faq.Id;
        await SaveAsync(s, ticket, machine, cardEdit: false);
        await ReplyToCitizenAsync(s, ticket, ticket.MessageId, Priority.Answer, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = texts.FaqAnswer(ticket.Id, faq.Answer),
            Buttons = [[new OutboundButton(texts.ButtonSolved, $"solved:{ticket.Id}"), new OutboundButton(texts.ButtonNeedsHelp, $"help:{ticket.Id}")]],
            LinkRole = LinkRoles.Answer,
        });
        new ConversationMachine(conversation).AnswerDelivered();
        await s.SaveConversationAsync(conversation, time.GetUtcNow());
    }

    /// <summary>The automatic answer did not help: the ticket goes to the team, with its card.</summary>
    public async Task<ActionResult> NeedsHelpAsync(DeskSession s, Ticket ticket, Actor citizen)
    {
        var machine = new TicketMachine(ticket, time);
        if (!machine.CanReopen)
        {
            return new ActionResult(false, texts.StillWorkingOnIt);
        }
        machine.Note("CitizenNeedsHelp", citizen);
        machine.Reopen(citizen, "needs-help");
        ticket.AssigneeId = null;
        ticket.AssigneeName = null;
        SetDueTimes(ticket, time.GetUtcNow(), firstResponse: false);
        await SaveAsync(s, ticket, machine, cardEdit: false);
        await PostCardAsync(s, ticket);
        var conversation = await s.GetConversationAsync(ticket.Channel, ticket.ChatId, ticket.CitizenId);
        var talk = new ConversationMachine(conversation);
        if (talk.OpenTicketId is null || talk.OpenTicketId == ticket.Id)
        {
            talk.TicketReopened(ticket.Id);
            await s.SaveConversationAsync(conversation, time.GetUtcNow());
        }
        return new ActionResult(true, texts.WillLookAgain(ticket.Id));
    }

    /// <summary>Asks a citizen whose question was solved how satisfied they are, 1 to 5.</summary>
    public Task AskRatingAsync(DeskSession s, Ticket ticket, string? replyTo) =>
        ReplyToCitizenAsync(s, ticket, replyTo, Priority.Acknowledgement, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = texts.AskRating,
            Buttons = [[.. Enumerable.Range(1, 5).Select(n => new OutboundButton(texts.RatingButton(n), $"rate:{ticket.Id}:{n}"))]],
        });

    public async Task<ActionResult> RateAsync(DeskSession s, Ticket ticket, Actor citizen, int score)
    {
        var machine = new TicketMachine(ticket, time);
        machine.Note("Rated", citizen, score.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ticket.Rating = score;
        ticket.UpdatedAt = time.GetUtcNow();
        await SaveAsync(s, ticket, machine, cardEdit: false);
        return new ActionResult(true, texts.ThanksForRating(score));
    }

    /// <summary>
    /// A citizen's further message about an open ticket: recorded and relayed under the card. A new question
    /// after the answer reopens the ticket, so it is answered rather than resolved by the timer.
    /// </summary>
    public async Task FollowUpAsync(DeskSession s, Ticket ticket, InboundEvent e, bool asksAgain)
    {
        var now = time.GetUtcNow();
        var machine = new TicketMachine(ticket, time);
        var citizen = Actor.Of(e.Channel, e.From.Id, e.From.DisplayName);
        machine.Note("FollowUp", citizen, Texts.Shorten(e.Text ?? $"[{e.Kind}]", 500));
        var reopen = asksAgain && ticket.State == TicketState.Answered;
        if (reopen)
        {
            machine.Reopen(citizen, "follow-up");
            SetDueTimes(ticket, now, firstResponse: false);
        }
        ticket.UpdatedAt = now;
        await SaveAsync(s, ticket, machine, cardEdit: reopen);
        if (reopen)
        {
            var conversation = await s.GetConversationAsync(ticket.Channel, ticket.ChatId, ticket.CitizenId);
            if (conversation.TicketId == ticket.Id)
            {
                new ConversationMachine(conversation).NotSolved();
                await s.SaveConversationAsync(conversation, now);
            }
        }
        if (e.MessageId is not null)
        {
            await s.AddLinkAsync(e.Channel, e.ChatId, e.MessageId, ticket.Id, LinkRoles.FollowUp, now);
        }
        if (e.HasAttachment && e.MessageId is not null)
        {
            await RelayAttachmentAsync(s, ticket, e.ChatId, e.MessageId, e.Text);
        }
        else
        {
            await ToStaffAsync(s, ticket.Id, new OutboundMessage
            {
                Kind = OutboundKind.Text,
                Text = texts.FollowUp(ticket.Id, ticket.CitizenName, Texts.Shorten(e.Text ?? "", 3500)),
                ReplyTo = MessageRef.Linked(ticket.Id, LinkRoles.Card),
                LinkRole = LinkRoles.Relay,
            });
        }
    }

    public async Task<ActionResult> ClaimAsync(DeskSession s, Ticket ticket, Actor member)
    {
        var machine = new TicketMachine(ticket, time);
        if (ticket.State == TicketState.Claimed && ticket.AssigneeId == member.Id)
        {
            return new ActionResult(true, texts.YouClaimed(ticket.Id));
        }
        if (ticket.State is TicketState.Claimed or TicketState.Answered && ticket.AssigneeName is not null)
        {
            return new ActionResult(false, texts.AlreadyClaimedBy(ticket.Id, ticket.AssigneeName));
        }
        if (!machine.CanClaim)
        {
            return new ActionResult(false, texts.NotAllowed(ticket.Id, ticket.State, texts.ActionClaim));
        }
        machine.Claim(member);
        await SaveAsync(s, ticket, machine);
        return new ActionResult(true, texts.YouClaimed(ticket.Id));
    }

    public async Task<ActionResult> UnclaimAsync(DeskSession s, Ticket ticket, Actor member, bool isAdmin)
    {
        var machine = new TicketMachine(ticket, time);
        if (!machine.CanUnclaim)
        {
            return new ActionResult(false, texts.NotAllowed(ticket.Id, ticket.State, texts.ActionUnclaim));
        }
        if (ticket.AssigneeId != member.Id && !isAdmin)
        {
            return new ActionResult(false, texts.OnlyOwnerOrAdmin(ticket.Id, ticket.AssigneeName ?? "?"));
        }
        machine.Unclaim(member);
        await SaveAsync(s, ticket, machine);
        return new ActionResult(true, texts.Unclaimed(ticket.Id, member.Name));
    }

    /// <summary>
    /// A team member answers: a reply to the card, "#12 ..." or a reply to the question in the group.
    /// Answering a ticket nobody holds claims it first. <paramref name="deliver"/> is false when the answer
    /// is already in front of the citizen (written in the support group itself).
    /// </summary>
    public async Task<ActionResult> AnswerAsync(DeskSession s, Ticket ticket, Actor member, InboundEvent answer, string? text, bool deliver)
    {
        var machine = new TicketMachine(ticket, time);
        if (!ticket.IsOpen)
        {
            return new ActionResult(false, texts.TicketClosedUseReopen(ticket.Id));
        }
        if (ticket.State is TicketState.Claimed or TicketState.Answered && ticket.AssigneeId != member.Id)
        {
            return new ActionResult(false, texts.OwnedByOther(ticket.Id, ticket.AssigneeName ?? "?"));
        }
        if (machine.CanClaim)
        {
            machine.Claim(member);
        }
        machine.Answer(member);
        await SaveAsync(s, ticket, machine, cardEdit: true);
        var now = time.GetUtcNow();
        if (answer.MessageId is not null)
        {
            await s.AddLinkAsync(answer.Channel, answer.ChatId, answer.MessageId, ticket.Id,
                deliver ? LinkRoles.StaffAnswer : LinkRoles.Answer, now);
        }

        var feedback = FeedbackButtons(ticket.Id);
        if (deliver)
        {
            var textAnswer = new OutboundMessage
            {
                Kind = OutboundKind.Text,
                Text = $"{AnswerHeader(ticket)}\n\n{text?.Trim()}\n\n{texts.AskFeedback}",
                Buttons = feedback,
                LinkRole = LinkRoles.Answer,
            };
            var message = textAnswer;
            if (answer.HasAttachment && answer.MessageId is not null)
            {
                if (answer.Channel == ticket.Channel && chats.FeaturesOf(ticket.Channel).Copies)
                {
                    // A copy keeps the member's own caption, as they wrote it.
                    message = new OutboundMessage { Kind = OutboundKind.Copy, FromChatId = answer.ChatId, FromMessageId = answer.MessageId, Buttons = feedback, LinkRole = LinkRoles.Answer };
                }
                else if (await CarryAsync(s, answer.Channel, answer.ChatId, answer.MessageId, ticket.Channel, textAnswer.Text) is { } carried)
                {
                    message = carried with { Buttons = feedback, LinkRole = LinkRoles.Answer };
                }
                else
                {
                    // The citizen gets the words; the member learns the attachment stayed behind.
                    await ToStaffAsync(s, ticket.Id, new OutboundMessage
                    {
                        Kind = OutboundKind.Text,
                        Text = texts.AttachmentNotCarried(ticket.Id, texts.ChannelName(ticket.Channel)),
                        ReplyTo = MessageRef.Linked(ticket.Id, LinkRoles.Card),
                    });
                }
            }
            await ReplyToCitizenAsync(s, ticket, ticket.MessageId, Priority.Answer, message);
        }
        else
        {
            // The answer is already under the question; ask the citizen whether it helped.
            await s.EnqueueAsync(ticket.Channel, ticket.ChatId, ticket.ChatKind, Priority.Answer, ticket.Id, new OutboundMessage
            {
                Kind = OutboundKind.Text,
                Text = texts.AskFeedback,
                ReplyTo = answer.MessageId is null ? null : MessageRef.Remote(answer.MessageId),
                Buttons = feedback,
                Addressee = ticket.CitizenId,
                LinkRole = LinkRoles.Answer,
            }, now);
            await ToStaffAsync(s, ticket.Id, new OutboundMessage
            {
                Kind = OutboundKind.Text,
                Text = texts.AnsweredInGroup(ticket.Id, member.Name, Texts.Shorten(text ?? $"[{answer.Kind}]", 3000)),
                ReplyTo = MessageRef.Linked(ticket.Id, LinkRoles.Card),
                LinkRole = LinkRoles.Relay,
            });
        }

        var conversation = await s.GetConversationAsync(ticket.Channel, ticket.ChatId, ticket.CitizenId);
        var talk = new ConversationMachine(conversation);
        if (talk.OpenTicketId is null)
        {
            talk.TicketReopened(ticket.Id);
        }
        // The citizen may have moved on to another ticket; that conversation is left alone.
        if (talk.OpenTicketId == ticket.Id)
        {
            talk.AnswerDelivered();
            await s.SaveConversationAsync(conversation, now);
        }
        return new ActionResult(true, "");
    }

    /// <summary>Closes a ticket: resolved if it was ever answered, otherwise cancelled.</summary>
    public async Task<ActionResult> CloseAsync(DeskSession s, Ticket ticket, Actor member, string? reason)
    {
        var machine = new TicketMachine(ticket, time);
        var cancel = ticket.FirstResponseAt is null;
        if (cancel ? !machine.CanCancel : !machine.CanResolve)
        {
            return new ActionResult(false, texts.NotAllowed(ticket.Id, ticket.State, texts.ActionClose));
        }
        if (cancel)
        {
            machine.Cancel(member, reason);
        }
        else
        {
            machine.Resolve(member, reason);
        }
        await SaveAsync(s, ticket, machine);
        await EndConversationAsync(s, ticket);
        return new ActionResult(true, texts.Closed(ticket.Id, member.Name, cancel, reason));
    }

    public async Task<ActionResult> ReopenAsync(DeskSession s, Ticket ticket, Actor by, string? reason, bool byCitizen)
    {
        var machine = new TicketMachine(ticket, time);
        if (!machine.CanReopen)
        {
            return new ActionResult(false, texts.NotAllowed(ticket.Id, ticket.State, texts.ActionReopen));
        }
        if (byCitizen)
        {
            machine.Note("CitizenNotSolved", by);
        }
        machine.Reopen(by, reason);
        SetDueTimes(ticket, time.GetUtcNow(), firstResponse: false);
        await SaveAsync(s, ticket, machine);
        var conversation = await s.GetConversationAsync(ticket.Channel, ticket.ChatId, ticket.CitizenId);
        var talk = new ConversationMachine(conversation);
        if (talk.OpenTicketId is null || talk.OpenTicketId == ticket.Id)
        {
            talk.TicketReopened(ticket.Id);
            await s.SaveConversationAsync(conversation, time.GetUtcNow());
        }
        await ToStaffAsync(s, ticket.Id, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = byCitizen ? texts.CitizenSaysNotSolved(ticket.Id, ticket.AssigneeName) : texts.Reopened(ticket.Id, by.Name),
            ReplyTo = MessageRef.Linked(ticket.Id, LinkRoles.Card),
            LinkRole = LinkRoles.Relay,
            Mentions = byCitizen ? OwnerMention(ticket) : null,
        });
        return new ActionResult(true, texts.Reopened(ticket.Id, by.Name));
    }

    /// <summary>The citizen pressed "solved", or the answer went undisputed for long enough.</summary>
    public async Task<bool> ResolveAsync(DeskSession s, Ticket ticket, Actor by, string reason, bool byCitizen)
    {
        var machine = new TicketMachine(ticket, time);
        if (!machine.CanResolve)
        {
            return false;
        }
        if (byCitizen)
        {
            machine.Note("CitizenSolved", by);
        }
        machine.Resolve(by, reason);
        await SaveAsync(s, ticket, machine);
        await EndConversationAsync(s, ticket);
        return true;
    }

    /// <summary>
    /// A person whose channel gave no name at first (Zalo OA) is now known by it: their tickets, history and
    /// open cards show it. Only the placeholder is replaced, never a name someone has erased (/forget).
    /// </summary>
    public async Task RenameCitizenAsync(DeskSession s, string channel, string userId, string placeholder, string name)
    {
        var args = new { channel, userId, placeholder, name, actor = Actor.Of(channel, userId, name).Id };
        var ids = (await s.Connection.QueryAsync<long>(
            "SELECT id FROM tickets WHERE channel = @channel AND citizen_id = @userId AND citizen_name = @placeholder",
            args, s.Transaction)).AsList();
        await s.Connection.ExecuteAsync(
            """
            UPDATE tickets SET citizen_name = @name WHERE channel = @channel AND citizen_id = @userId AND citizen_name = @placeholder;
            UPDATE ticket_events SET actor_name = @name WHERE actor_id = @actor AND actor_name = @placeholder;
            UPDATE team_members SET display_name = @name WHERE channel = @channel AND user_id = @userId AND display_name = @placeholder;
            """, args, s.Transaction);
        foreach (var id in ids)
        {
            if (await s.GetTicketAsync(id) is { IsOpen: true } ticket)
            {
                await EditCardAsync(s, ticket);
            }
        }
    }

    public async Task EditCardAsync(DeskSession s, Ticket ticket) =>
        await ToStaffAsync(s, ticket.Id, new OutboundMessage
        {
            Kind = OutboundKind.Edit,
            Target = MessageRef.Linked(ticket.Id, LinkRoles.Card),
            Text = (await CardTextAsync(s, ticket)).Text,
            Buttons = CardButtons(ticket),
        });

    /// <summary>The ticket's card in the staff chat, mentioning the members it suggests.</summary>
    private async Task PostCardAsync(DeskSession s, Ticket ticket)
    {
        var (card, suggested) = await CardTextAsync(s, ticket);
        await ToStaffAsync(s, ticket.Id, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = card,
            Buttons = CardButtons(ticket),
            LinkRole = LinkRoles.Card,
            Mentions = suggested,
            BatchLine = texts.BatchCardLine(ticket, categories.Get(ticket.Category).Name),
        });
    }

    /// <summary>A member changes a ticket's category: recorded, and the card says so.</summary>
    public async Task<ActionResult> SetCategoryAsync(DeskSession s, Ticket ticket, Actor member, Category category)
    {
        var machine = new TicketMachine(ticket, time);
        machine.Note("CategoryChanged", member, $"{ticket.Category} → {category.Code}");
        ticket.Category = category.Code;
        ticket.UpdatedAt = time.GetUtcNow();
        SetDueTimes(ticket, ticket.CreatedAt, firstResponse: ticket.FirstResponseAt is null);
        await SaveAsync(s, ticket, machine);
        return new ActionResult(true, texts.CategoryChanged(ticket.Id, category.Name));
    }

    /// <summary>The card's text, and for a ticket waiting for someone, the members it suggests (skills-based routing).</summary>
    public async Task<(string Text, IReadOnlyList<OutboundMention>? Suggested)> CardTextAsync(DeskSession s, Ticket ticket)
    {
        var category = categories.Get(ticket.Category);
        IReadOnlyList<(string Name, long Open)> suggested = [];
        IReadOnlyList<OutboundMention>? mentions = null;
        if (ticket.State is TicketState.New or TicketState.Reopened)
        {
            var members = await s.SuggestMembersAsync(category.Code, Suggestions);
            suggested = members.Select(m => (m.Member.DisplayName, m.Open)).ToList();
            mentions = members.Where(m => m.Member.Channel == chats.Staff.Channel)
                .Select(m => new OutboundMention(m.Member.UserId, m.Member.DisplayName)).ToList();
        }
        var staffCanReply = chats.FeaturesOf(chats.Staff.Channel).Replies;
        var card = texts.Card(ticket, time.GetUtcNow(), category.Name, suggested, staffCanReply, chats.GroupMentionOf(chats.Staff.Channel));
        return (card, mentions is { Count: > 0 } ? mentions : null);
    }

    public async Task ToStaffAsync(DeskSession s, long? ticketId, OutboundMessage message)
    {
        var staff = chats.Staff;
        await s.EnqueueAsync(staff.Channel, staff.ChatId, ChatKinds.Staff, Priority.Staff, ticketId, message, time.GetUtcNow());
    }

    public bool IsStaffChat(string channel, string chatId) => chats.IsStaffChat(channel, chatId);

    /// <summary>
    /// Due times in working time from <paramref name="from"/>: on creation both targets, on reopening the
    /// resolution target again (the first response has happened). Reminders fall at 75 % of each.
    /// </summary>
    public void SetDueTimes(Ticket ticket, DateTimeOffset from, bool firstResponse)
    {
        var category = categories.Get(ticket.Category);
        if (firstResponse)
        {
            ticket.FirstResponseDueAt = calendar.Add(from, category.FirstResponseTarget);
            ticket.FirstResponseRemindAt = calendar.Add(from, category.FirstResponseTarget * 0.75);
        }
        ticket.ResolutionDueAt = calendar.Add(from, category.ResolutionTarget);
        ticket.ResolutionRemindAt = calendar.Add(from, category.ResolutionTarget * 0.75);
    }

    public Task RecordAdminActionAsync(DeskSession s, Actor admin, string action) =>
        s.AddAuditEventAsync(time.GetUtcNow(), admin, action);

    /// <summary>Records a team member's internal note on a ticket: never delivered to the citizen.</summary>
    public async Task NoteAsync(DeskSession s, Ticket ticket, Actor member, string note)
    {
        var machine = new TicketMachine(ticket, time);
        machine.Note("Note", member, Texts.Shorten(note, 1000));
        await s.AddEventsAsync(machine.Events);
    }

    /// <summary>Gives every ticket a departing member holds back to the team.</summary>
    public async Task<IReadOnlyList<long>> ReleaseAllAsync(DeskSession s, string assigneeId, Actor by)
    {
        var released = new List<long>();
        foreach (var ticket in await s.ListOpenTicketsAsync(10_000, assigneeId))
        {
            var machine = new TicketMachine(ticket, time);
            if (machine.CanUnclaim)
            {
                machine.Unclaim(by);
                await SaveAsync(s, ticket, machine);
                released.Add(ticket.Id);
            }
        }
        return released;
    }

    private IReadOnlyList<OutboundMention>? OwnerMention(Ticket ticket)
    {
        var staff = chats.Staff;
        var prefix = staff.Channel + ":";
        return ticket.AssigneeId is { } owner && ticket.AssigneeName is { } name && owner.StartsWith(prefix, StringComparison.Ordinal)
            ? [new OutboundMention(owner[prefix.Length..], name)]
            : null;
    }

    private async Task SaveAsync(DeskSession s, Ticket ticket, TicketMachine machine, bool cardEdit = true)
    {
        // Durations in working time are stamped when the step happens, beside the clock times.
        if (ticket.FirstResponseAt is { } first && ticket.FirstResponseWorkSeconds is null)
        {
            ticket.FirstResponseWorkSeconds = (long)calendar.Between(ticket.CreatedAt, first).TotalSeconds;
        }
        if (ticket.State == TicketState.Resolved && ticket.ResolvedAt is { } resolved)
        {
            ticket.ResolutionWorkSeconds = (long)calendar.Between(ticket.CreatedAt, resolved).TotalSeconds;
        }
        await s.UpdateTicketAsync(ticket);
        await s.AddEventsAsync(machine.Events);
        if (cardEdit)
        {
            await EditCardAsync(s, ticket);
        }
    }

    private async Task EndConversationAsync(DeskSession s, Ticket ticket)
    {
        var conversation = await s.GetConversationAsync(ticket.Channel, ticket.ChatId, ticket.CitizenId);
        if (conversation.TicketId == ticket.Id)
        {
            new ConversationMachine(conversation).TicketClosed();
            await s.SaveConversationAsync(conversation, time.GetUtcNow());
        }
    }

    /// <summary>In a group on a channel without replies the answer cannot sit under the question: it names the citizen and the question instead.</summary>
    private string AnswerHeader(Ticket ticket) =>
        ticket.ChatKind == ChatKinds.Group && !chats.FeaturesOf(ticket.Channel).Replies
            ? texts.AnswerHeaderInGroup(ticket.Id, ticket.CitizenName, ticket.Question)
            : texts.AnswerHeader(ticket.Id);

    private Task ReplyToCitizenAsync(DeskSession s, Ticket ticket, string? replyTo, int priority, OutboundMessage message) =>
        s.EnqueueAsync(ticket.Channel, ticket.ChatId, ticket.ChatKind, priority, ticket.Id,
            message with { ReplyTo = replyTo is null ? null : MessageRef.Remote(replyTo), Addressee = ticket.CitizenId }, time.GetUtcNow());

    private async Task RelayAttachmentAsync(DeskSession s, Ticket ticket, string fromChatId, string messageId, string? caption)
    {
        var header = string.IsNullOrWhiteSpace(caption)
            ? texts.FollowUpAttachment(ticket.Id, ticket.CitizenName)
            : $"{texts.FollowUpAttachment(ticket.Id, ticket.CitizenName)} {Texts.Shorten(caption, 800)}";
        var carried = await CarryAsync(s, ticket.Channel, fromChatId, messageId, chats.Staff.Channel, header)
            ?? new OutboundMessage { Kind = OutboundKind.Text, Text = $"{header}\n{texts.AttachmentOnlyOn(texts.ChannelName(ticket.Channel))}" };
        await ToStaffAsync(s, ticket.Id, carried with { ReplyTo = MessageRef.Linked(ticket.Id, LinkRoles.Card), LinkRole = LinkRoles.Relay });
    }

    /// <summary>
    /// An attachment carried to a chat: copied within a channel that can copy, sent again by its public
    /// address across channels; null when neither is possible (a Telegram file has no public address).
    /// </summary>
    private async Task<OutboundMessage?> CarryAsync(DeskSession s, string fromChannel, string fromChatId, string messageId, string toChannel, string caption)
    {
        if (fromChannel == toChannel && chats.FeaturesOf(toChannel).Copies)
        {
            return new OutboundMessage { Kind = OutboundKind.Copy, FromChatId = fromChatId, FromMessageId = messageId, Caption = caption };
        }
        return await s.FindMediaAsync(fromChannel, fromChatId, messageId) switch
        {
            { Kind: nameof(InboundKind.Photo) } photo => new OutboundMessage { Kind = OutboundKind.Photo, MediaUrl = photo.Url, Caption = caption },
            { } file => new OutboundMessage { Kind = OutboundKind.Text, Text = $"{caption}\n📎 {file.Url}" },
            null => null,
        };
    }

    private IReadOnlyList<IReadOnlyList<OutboundButton>> CardButtons(Ticket t) => t.State switch
    {
        TicketState.New or TicketState.Reopened => [[new OutboundButton(texts.ButtonClaim, $"claim:{t.Id}")]],
        TicketState.Claimed => [[new OutboundButton(texts.ButtonUnclaim, $"unclaim:{t.Id}")]],
        _ => [],
    };

    private IReadOnlyList<IReadOnlyList<OutboundButton>> FeedbackButtons(long ticket) =>
        [[new OutboundButton(texts.ButtonSolved, $"solved:{ticket}"), new OutboundButton(texts.ButtonNotSolved, $"unsolved:{ticket}")]];
}
