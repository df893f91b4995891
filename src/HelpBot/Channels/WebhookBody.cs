using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HelpBot.Channels;

/// <summary>How every webhook reads what a platform posts: bounded, whatever the framing.</summary>
public static class WebhookBody
{
    /// <summary>No platform's update comes near this; a larger body is not from the platform.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>
    /// The request body, or null when it is larger than <paramref name="maxBytes"/> (declared or, for a chunked
    /// body, counted while reading): nothing larger is ever held in memory.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, int maxBytes = MaxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return null;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }

    public static IResult TooLarge => Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
}
