using System.Text.Json;
using System.Text.Json.Serialization;
using HelpBot.Outbox;

namespace HelpBot.Channels.Sandbox;

/// <summary>What the sandbox page receives at start: the people it plays and every chat's recent messages.</summary>
public sealed record SandboxState(
    string GroupTitle, List<SandboxPerson> Citizens, List<SandboxPerson> Team, SandboxPerson Admin,
    Dictionary<string, IReadOnlyList<SandboxMessage>> Chats);

/// <summary>A message shown or changed on the page (<c>type</c>: message, edit).</summary>
public sealed record SandboxEvent(string Type, SandboxMessage Message);

/// <summary>A short notice for one person on the page (a button's answer).</summary>
public sealed record SandboxToast(string ChatId, string UserId, string Text)
{
    public string Type => "toast";
}

/// <summary>Why the page's request was refused.</summary>
public sealed record SandboxError(string Error);

/// <summary>The sandbox's JSON, generated at build time (camelCase, as the page reads it).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SandboxState))]
[JsonSerializable(typeof(SandboxEvent))]
[JsonSerializable(typeof(SandboxToast))]
[JsonSerializable(typeof(SandboxError))]
[JsonSerializable(typeof(SandboxMessage))]
[JsonSerializable(typeof(SandboxPost))]
[JsonSerializable(typeof(SandboxPress))]
[JsonSerializable(typeof(IReadOnlyList<IReadOnlyList<OutboundButton>>))]
[JsonSerializable(typeof(List<List<OutboundButton>>))]
internal sealed partial class SandboxJson : JsonSerializerContext;
