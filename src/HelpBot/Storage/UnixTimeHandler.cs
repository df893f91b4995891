using System.Data;
using Dapper;

namespace HelpBot.Storage;

/// <summary>
/// Reads the schema's UTC Unix milliseconds into <see cref="DateTimeOffset"/>. Dapper does not consult type
/// handlers for parameters of types it maps itself, so writes convert explicitly with <see cref="UnixTime.Ms(DateTimeOffset)"/>.
/// Declared for the generated Dapper calls in Storage/DapperAot.cs; nothing registers it at run time.
/// </summary>
internal sealed class UnixTimeHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
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
