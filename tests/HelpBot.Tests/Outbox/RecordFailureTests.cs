using Dapper;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Outbox;

/// <summary>A send that went out is never sent again because recording it failed for a moment.</summary>
public sealed class RecordFailureTests
{
    [Fact]
    public async Task When_recording_finished_sends_fails_they_are_recorded_later_and_not_sent_twice()
    {
        await using var h = await HelpBotHarness.StartAsync();
        // A real SQLite failure on the write that marks a send as done (as a busy or broken disk would give).
        await using (var connection = await h.Db.Database.OpenAsync())
        {
            await connection.ExecuteAsync(
                "CREATE TRIGGER test_record_fails BEFORE UPDATE OF state ON outbox WHEN NEW.state = 'sent' BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END;");
        }

        h.WritePrivately(7001, "Bà Tư", "Cho hỏi làm căn cước cho cháu ở đâu ạ?");
        await h.SentToAsync(7001, "câu hỏi #1");
        await HelpBotHarness.WaitUntilAsync("the failed record is logged", () =>
            Task.FromResult(h.Logs.Lines.Any(l => l.Contains("Outbox dispatch failed", StringComparison.Ordinal))));

        await using (var connection = await h.Db.Database.OpenAsync())
        {
            await connection.ExecuteAsync("DROP TRIGGER test_record_fails");
        }
        // The dispatcher waits before trying again; move the clock past that wait until everything is recorded.
        await HelpBotHarness.WaitUntilAsync("every send is recorded", async () =>
        {
            h.Clock.Advance(TimeSpan.FromSeconds(2));
            return await h.ScalarAsync("SELECT count(*) FROM outbox WHERE state = 'pending'") == 0;
        });
        await h.SettleAsync();

        Assert.Single(h.Api.Sent("sendMessage"), r => r.ChatId == 7001 && (r.Text?.Contains("câu hỏi #1", StringComparison.Ordinal) ?? false));
        Assert.Single(h.Api.Sent("sendMessage"), r => r.ChatId == HelpBotHarness.StaffChat && (r.Text?.Contains("Phiếu #1 ", StringComparison.Ordinal) ?? false));
    }
}
