using Dapper;
using HelpBot.Storage;

// Dapper's calls are compiled ahead of time (Dapper.AOT's interceptors): no Reflection.Emit at run time, so
// HelpBot publishes as a native executable, and the same generated code runs under the tests.
[module: DapperAot]
// A finished command stays with its connection, so SQLite's compiled statement serves the next call of the same SQL.
[module: CommandFactory<PreparedStatements<object>>]
// Tuples are read by column position, as Dapper itself reads them.
[module: BindTupleByName(false)]
// The schema stores UTC Unix milliseconds; the handler is declared here so the generated code uses it too.
[module: TypeHandler(typeof(DateTimeOffset), typeof(UnixTimeHandler))]
