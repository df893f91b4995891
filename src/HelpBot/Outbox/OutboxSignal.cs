namespace HelpBot.Outbox;

/// <summary>Wakes the dispatcher when new outbox rows have been committed.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake-up covers any number of rows.
        }
    }

    /// <summary>Waits for a signal, or until <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_semaphore.Wait(0, CancellationToken.None))
        {
            return;
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            var delay = Task.Delay(timeout, time, cts.Token);
            var wait = _semaphore.WaitAsync(cts.Token);
            await Task.WhenAny(delay, wait).ConfigureAwait(false);
            await cts.CancelAsync();
            try { await wait.ConfigureAwait(false); } catch (OperationCanceledException) { }
            try { await delay.ConfigureAwait(false); } catch (OperationCanceledException) { }
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }
        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
