using HelpBot.Storage;
using Microsoft.Data.Sqlite;

namespace HelpBot.Tests.Support;

/// <summary>A real SQLite file in a fresh temporary folder, removed afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = Directory.CreateTempSubdirectory("helpbot-test-").FullName;
        Path = System.IO.Path.Combine(Folder, "helpbot.db");
        ConnectionString = $"Data Source={Path}";
        Database = new Database(ConnectionString);
    }

    public string Folder { get; }
    public string Path { get; }
    public string ConnectionString { get; }
    public Database Database { get; }

    public void Dispose()
    {
        Database.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open on some platforms; the temp folder is cleaned by the OS.
        }
    }
}
