using System.Data;
using Dapper;

namespace HelpBot.Storage;

/// <summary>Stores <see cref="DateTimeOffset"/> as UTC Unix milliseconds, the schema's time type.</summary>
internal sealed class UnixTimeHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
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
