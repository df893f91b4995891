using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace HelpBot.Channels.Telegram;

/// <summary>Telegram.Bot's own generated JSON metadata for an update, so reading one needs no reflection.</summary>
internal static class TelegramJson
{
    public static readonly JsonTypeInfo<Update> Update = (JsonTypeInfo<Update>)JsonBotAPI.Options.GetTypeInfo(typeof(Update));
}

/// <summary>
/// HelpBot's own Bot API request (<see cref="RawUpdatesRequest"/>) and its answer go through Telegram.Bot's options.
/// Where reflection is off (the native build), those options know only Telegram.Bot's generated types, so HelpBot adds its
/// own before anything is sent. With reflection on (tests, a JIT build) the options already read every type.
/// </summary>
internal static class TelegramJsonSetup
{
    [ModuleInitializer]
    internal static void AddHelpBotRequests()
    {
        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            return;
        }
        // Nothing in HelpBot has run yet, so nothing can have used (and frozen) the options; if a future Telegram.Bot
        // freezes them itself, stop here rather than fail every getUpdates later.
        if (JsonBotAPI.Options.IsReadOnly)
        {
            throw new InvalidOperationException("Telegram.Bot's JSON options are read-only before HelpBot could add its getUpdates request.");
        }
        JsonBotAPI.Options.TypeInfoResolverChain.Add(TelegramRequestJson.Default);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(RawUpdatesRequest))]
[JsonSerializable(typeof(ApiResponse<JsonElement[]>))]
internal sealed partial class TelegramRequestJson : JsonSerializerContext;
