namespace HelpBot;

/// <summary>Something lent to one owner at a time (<see cref="ThreadLent{TItem, TOwner}"/>).</summary>
internal interface ILent<TOwner>
    where TOwner : class
{
    TOwner? Owner { get; set; }
}

/// <summary>
/// One <typeparamref name="TItem"/> per thread, made once and lent to one owner for one synchronous call: for what costs
/// much to make and nothing to reuse, such as a configured Stateless machine. A call that throws does not give the item
/// back, so the thread's next call makes a new one; a call made inside another gets an item of its own.
/// </summary>
internal static class ThreadLent<TItem, TOwner>
    where TItem : class, ILent<TOwner>, new()
    where TOwner : class
{
    [ThreadStatic]
    private static TItem? _spare;

    public static TResult Use<TArg, TResult>(TOwner owner, TArg arg, Func<TItem, TArg, TResult> work)
    {
        var item = Rent(owner);
        var result = work(item, arg);
        Return(item);
        return result;
    }

    public static void Use<TArg>(TOwner owner, TArg arg, Action<TItem, TArg> work)
    {
        var item = Rent(owner);
        work(item, arg);
        Return(item);
    }

    private static TItem Rent(TOwner owner)
    {
        var item = _spare ?? new TItem();
        _spare = null;
        item.Owner = owner;
        return item;
    }

    private static void Return(TItem item)
    {
        item.Owner = null;
        _spare = item;
    }
}
