namespace HelpBot.Outbox;

/// <summary>Wakes the dispatcher when new outbox rows have been committed.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private long _version;

    /// <summary>
    /// Counts notifications. A reader that notes it before reading the outbox knows, by comparing later, whether
    /// rows may have been committed since, even when the wake-up itself was cut short by a cancelled wait.
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    public void Notify()
    {
        Interlocked.Increment(ref _version);
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one wake-up covers any number of rows.
        }
    }

    /// <summary>
    /// Waits for a signal, or until the clock reaches <paramref name="until"/> (null: no deadline). The
    /// deadline is absolute and checked again once the timer exists, so a clock that moves while the
    /// timer is being made (a test's fake clock) can never leave the wait stranded.
    /// </summary>
    public async Task WaitAsync(DateTimeOffset? until, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_semaphore.Wait(0, CancellationToken.None))
        {
            return;
        }
        if (until is not { } deadline)
        {
            await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var remaining = deadline - time.GetUtcNow();
        var delay = Task.Delay(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time, cts.Token);
        if (time.GetUtcNow() >= deadline)
        {
            await cts.CancelAsync();
            await delay.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            return;
        }
        var wait = _semaphore.WaitAsync(cts.Token);
        await Task.WhenAny(delay, wait).ConfigureAwait(false);
        await cts.CancelAsync();
        await Task.WhenAll(delay, wait).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
