using HelpBot.Hosting;
using HelpBot.Reports;
using HelpBot.Tests.Support;

namespace HelpBot.Tests.Hosting;

public sealed class ExportVerbTests
{
    [Fact]
    public async Task Export_writes_one_csv_row_per_ticket_in_the_date_range()
    {
        await using var h = await HelpBotHarness.StartAsync();
        h.WritePrivately(501, "Bà Tư", "Cho hỏi, làm \"sổ đỏ\" mất bao lâu?");
        var card = await h.CardAsync(1);
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        h.InStaffChat(601, "=Lan", "Dạ, 30 ngày ạ.", replyTo: card.ResultMessageId);
        await h.SentToAsync(501, "30 ngày");
        await h.SettleAsync();

        var output = new StringWriter();
        var code = await ExportVerb.RunAsync(["--from", "2026-12-01", "--to", "2026-12-01", $"--ConnectionStrings:HelpBot={h.Db.ConnectionString}"], output);
        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(CsvExport.Header, lines[0]);
        // Tuesday 09:00: land questions are due in 4 working hours (15:00, lunch excluded), resolved in 5 working days (09:00 next Tuesday).
        Assert.Equal("1,telegram,501,dat-dai,Answered,'=Lan,2026-12-01T02:00:00Z,2026-12-01T02:02:00Z,2026-12-01T02:02:00Z,,120,,0,120,,2026-12-01T08:00:00Z,2026-12-08T02:00:00Z,,0,,,,", lines[1]);

        var none = new StringWriter();
        await ExportVerb.RunAsync(["--from", "2026-12-02", $"--ConnectionStrings:HelpBot={h.Db.ConnectionString}"], none);
        Assert.Single(none.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Export_refuses_arguments_it_cannot_read()
    {
        var code = await ExportVerb.RunAsync(["--from", "01/12/2026"], new StringWriter());
        Assert.Equal(2, code);
    }
}
