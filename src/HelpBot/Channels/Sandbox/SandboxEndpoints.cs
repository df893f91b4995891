using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.Sandbox;

/// <summary>The sandbox page and the small HTTP API it talks to.</summary>
public static class SandboxEndpoints
{
    private const int MaxNameLength = 80;

    public static IEndpointRouteBuilder MapSandbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));

        var api = app.MapGroup("/sandbox/api");
        api.MapGet("/state", async (SandboxMessages messages, IOptions<SandboxOptions> options) =>
        {
            var o = options.Value;
            var chats = new Dictionary<string, IReadOnlyList<SandboxMessage>>
            {
                [SandboxChats.Group] = await messages.RecentAsync(SandboxChats.Group),
                [SandboxChats.Staff] = await messages.RecentAsync(SandboxChats.Staff),
            };
            foreach (var chat in (await messages.PrivateChatsAsync()).Append(SandboxChats.Private(o.Admin.Id)).Distinct())
            {
                chats[chat] = await messages.RecentAsync(chat);
            }
            return Results.Json(new SandboxState(o.GroupTitle, o.Citizens, o.Team, o.Admin, chats), SandboxJson.Default.SandboxState);
        });

        api.MapPost("/messages", async (SandboxPost post, SandboxChannel channel, CancellationToken ct) =>
        {
            if (Invalid(post.ChatId, post.UserId, post.UserName) is { } problem)
            {
                return Results.BadRequest(new SandboxError(problem));
            }
            if (string.IsNullOrWhiteSpace(post.Text) && post.Kind == "text" && post.Text is null)
            {
                return Results.BadRequest(new SandboxError("text is required for a text message"));
            }
            var message = await channel.PostAsync(post, ct);
            return Results.Json(message, SandboxJson.Default.SandboxMessage);
        });

        api.MapPost("/buttons", async (SandboxPress press, SandboxChannel channel, CancellationToken ct) =>
        {
            var problem = Invalid(press.ChatId, press.UserId, press.UserName)
                ?? (press.Data is null || press.Data.Length > 64 ? "data is required (at most 64 characters)" : null);
            if (problem is not null)
            {
                return Results.BadRequest(new SandboxError(problem));
            }
            await channel.PressAsync(press, ct);
            return Results.NoContent();
        });

        api.MapGet("/files/{id:long}", async (long id, SandboxMessages messages) =>
            await messages.FileAsync(id) is { } file
                ? Results.File(file.Content, file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "text/csv" : "application/octet-stream", file.FileName)
                : Results.NotFound());

        api.MapGet("/events", async (HttpContext context, SandboxHub hub) =>
        {
            context.Response.Headers.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            var (id, reader) = hub.Subscribe();
            try
            {
                await context.Response.WriteAsync(": connected\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await foreach (var json in reader.ReadAllAsync(context.RequestAborted))
                {
                    await context.Response.WriteAsync($"data: {json}\n\n", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The page was closed.
            }
            finally
            {
                hub.Unsubscribe(id);
            }
        });
        return app;
    }

    private static string? Invalid(string chatId, string userId, string userName)
    {
        if (chatId is not (SandboxChats.Group or SandboxChats.Staff) && !(SandboxChats.IsPrivate(chatId) && chatId.Length is > 3 and <= 64))
        {
            return "chatId must be group, staff or dm:<user id>";
        }
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 64 || userId == "bot")
        {
            return "userId is required (at most 64 characters)";
        }
        if (string.IsNullOrWhiteSpace(userName) || userName.Length > MaxNameLength)
        {
            return $"userName is required (at most {MaxNameLength} characters)";
        }
        if (SandboxChats.IsPrivate(chatId) && chatId != SandboxChats.Private(userId))
        {
            return "a private chat belongs to its own user";
        }
        return null;
    }

    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(SandboxEndpoints).Assembly.GetManifestResourceStream("HelpBot.Channels.Sandbox.sandbox.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
