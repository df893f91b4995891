using System.Data;
using Dapper;

namespace HelpBot.Storage;

/// <summary>
/// Reads the schema's UTC Unix milliseconds into <see cref="DateTimeOffset"/>. Dapper does not consult type
/// handlers for parameters of types it maps itself, so writes convert explicitly with <see cref="UnixTime.Ms(DateTimeOffset)"/>.
/// </summary>
internal sealed class UnixTimeHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    private static int _registered;

    /// <summary>
    /// For plain Dapper calls (the tests' own queries). HelpBot's calls are generated with the handler built in
    /// (Storage/DapperAot.cs); the native build runs no plain Dapper and cannot register one (that needs reflection).
    /// </summary>
    public static void Register()
    {
        if (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported && Interlocked.Exchange(ref _registered, 1) == 0)
        {
            SqlMapper.AddTypeHandler(new UnixTimeHandler());
        }
    }

    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        parameter.DbType = DbType.Int64;
        parameter.Value = value.ToUnixTimeMilliseconds();
    }

    public override DateTimeOffset Parse(object value) => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
}

public static class UnixTime
{
    public static long Ms(this DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? Ms(this DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();
}
