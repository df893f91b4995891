using Microsoft.AspNetCore.Routing;

namespace HelpBot.Hosting;

/// <summary>A channel's webhook receiver, served by the host's Kestrel on <c>HelpBot:Http:Urls</c>.</summary>
public interface IWebhookEndpoint
{
    void Map(IEndpointRouteBuilder app);
}

/// <summary>A webhook endpoint given by the extension method that maps it.</summary>
public sealed record WebhookEndpoint(Action<IEndpointRouteBuilder> MapTo) : IWebhookEndpoint
{
    public void Map(IEndpointRouteBuilder app) => MapTo(app);
}
