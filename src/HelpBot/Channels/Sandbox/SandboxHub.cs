using System.Collections.Concurrent;
using System.Threading.Channels;

namespace HelpBot.Channels.Sandbox;

/// <summary>Fans the sandbox's changes out to every open page (server-sent events).</summary>
public sealed class SandboxHub
{
    private readonly ConcurrentDictionary<Guid, Channel<string>> _subscribers = new();

    public int Subscribers => _subscribers.Count;

    public (Guid Id, ChannelReader<string> Reader) Subscribe()
    {
        var id = Guid.NewGuid();
        // A page that stops reading loses old updates rather than holding the server's memory.
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers[id] = channel;
        return (id, channel.Reader);
    }

    public void Unsubscribe(Guid id)
    {
        if (_subscribers.TryRemove(id, out var channel))
        {
            channel.Writer.TryComplete();
        }
    }

    public void Publish(string json)
    {
        foreach (var channel in _subscribers.Values)
        {
            channel.Writer.TryWrite(json);
        }
    }
}
