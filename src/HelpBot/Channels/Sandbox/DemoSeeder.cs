using Dapper;
using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.Sandbox;

/// <summary>
/// <c>--seed demo</c>: plays a realistic morning at the commune through the real pipeline (the same
/// inbox, machines, store and outbox), so a trainee finds cards, answers, a reopened ticket and real
/// figures in <c>/stats</c> and <c>/open</c> at once. Only a sandbox with no tickets is seeded.
/// </summary>
public sealed class DemoSeeder(
    SandboxChannel channel,
    SandboxClock clock,
    OutboxDispatcher dispatcher,
    Database database,
    IOptions<SandboxOptions> options,
    ILogger<DemoSeeder> logger)
{
    private static readonly (string Citizen, string Question, string Answer)[] Morning =
    [
        ("Bà Tư", "Cho hỏi làm căn cước cho cháu 14 tuổi thì mang những giấy tờ gì ạ?", "Dạ, bác đưa cháu ra Công an xã, mang giấy khai sinh bản chính; cháu chụp ảnh và lấy vân tay tại chỗ ạ."),
        ("Ông Năm", "cho hoi dang ky tam tru o dau a", "Dạ, bác đăng ký tạm trú trên ứng dụng VNeID hoặc Cổng Dịch vụ công quốc gia, hoặc nộp trực tiếp tại Công an xã ạ."),
        ("Chị Hoa", "Xin hỏi đăng ký khai sinh cho con online thế nào?", "Dạ, chị vào Cổng Dịch vụ công, chọn «Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ dưới 6 tuổi» và làm theo hướng dẫn ạ."),
        ("Anh Đức", "Làm sao để kích hoạt VNeID mức 2?", "Dạ, anh mang căn cước ra Công an xã để được cấp tài khoản định danh mức 2, nhớ mang theo điện thoại có số thuê bao chính chủ ạ."),
        ("Cô Ba", "Trợ cấp người cao tuổi 80 tuổi nhận ở đâu vậy?", "Dạ, cô nhận tại điểm chi trả của bưu điện xã vào ngày 10 hằng tháng, hoặc qua tài khoản ngân hàng nếu đã đăng ký ạ."),
        ("Chú Sáu", "cap lai so do bi mat thi lam sao", "Dạ, chú nộp đơn đề nghị cấp lại tại Trung tâm Phục vụ hành chính công xã, kèm giấy xác nhận mất của Công an xã ạ."),
        ("Chị Mai", "Thẻ BHYT của con bị hết hạn thì gia hạn ở đâu ạ?", "Dạ, chị gia hạn tại bưu điện xã hoặc nộp online trên ứng dụng VssID ạ."),
        ("Anh Hùng", "Đăng ký hộ kinh doanh cần những giấy tờ gì?", "Dạ, anh cần giấy đề nghị đăng ký hộ kinh doanh và bản sao căn cước của chủ hộ, nộp tại bộ phận một cửa ạ."),
        ("Bà Sáu", "Cho hỏi giấy xác nhận tình trạng hôn nhân làm mất bao lâu?", "Dạ, trong 3 ngày làm việc kể từ khi nhận đủ hồ sơ ạ."),
        ("Ông Bảy", "thanh toan le phi online bi loi thi lam the nao", "Dạ, bác chụp màn hình lỗi gửi vào đây, hoặc ra quầy để cán bộ hỗ trợ thanh toán trực tiếp ạ."),
        ("Chị Lý", "Đăng ký thường trú cho con dâu về nhà chồng thế nào ạ?", "Dạ, chị làm trên VNeID mục Đăng ký thường trú, cần văn bản đồng ý của chủ hộ và giấy đăng ký kết hôn ạ."),
        ("Anh Tâm", "Xin hỏi làm lại giấy khai sinh bản sao ở đâu?", "Dạ, anh xin cấp bản sao trích lục khai sinh tại UBND xã nơi đã đăng ký khai sinh, lệ phí 8.000 đồng một bản ạ."),
        ("Bà Tư", "Khai tử cho ông nhà tôi cần những gì?", "Dạ, bác mang giấy báo tử và căn cước của người đi khai ra UBND xã trong 15 ngày ạ. Tổ xin chia buồn cùng gia đình."),
        ("Ông Năm", "Hộ nghèo năm nay xét lúc nào vậy?", "Dạ, thôn sẽ họp bình xét vào tháng 10, bác theo dõi thông báo của trưởng thôn ạ."),
        ("Chị Hoa", "cho em hoi chuyen nhuong dat cho con thi nop thue bao nhieu", "Dạ, tặng cho giữa cha mẹ và con được miễn thuế thu nhập cá nhân và lệ phí trước bạ ạ."),
        ("Anh Đức", "Có được làm căn cước cho người già nằm một chỗ tại nhà không?", "Dạ, được ạ. Anh báo Công an xã để tổ cấp lưu động đến tận nhà ạ."),
        ("Cô Ba", "Tôi 75 tuổi có được cấp thẻ BHYT miễn phí không?", "Dạ, từ 75 tuổi có lương hưu hoặc trợ cấp xã hội là được cấp thẻ BHYT miễn phí, cô mang căn cước ra xã để làm ạ."),
        ("Chú Sáu", "Xin giấy phép sửa nhà ở nông thôn có cần không?", "Dạ, sửa chữa không thay đổi kết cấu thì không cần giấy phép, chú chỉ cần báo trưởng thôn ạ."),
        ("Chị Mai", "Nộp hồ sơ trên dịch vụ công rồi bao giờ có kết quả ạ?", "Dạ, chị xem trạng thái hồ sơ trong mục «Quản lý hồ sơ đã nộp»; khi có kết quả sẽ có tin nhắn báo ạ."),
        ("Anh Hùng", "Làm sao đổi tên trên sổ hộ khẩu?", "Dạ, sổ hộ khẩu giấy không còn dùng nữa; anh cập nhật thông tin cư trú tại Công an xã ạ."),
        ("Bà Sáu", "Trợ cấp khuyết tật cho cháu nộp hồ sơ ở đâu ạ?", "Dạ, bác nộp tại UBND xã, hội đồng xác định mức độ khuyết tật sẽ hẹn lịch khám ạ."),
        ("Ông Bảy", "Tôi muốn đăng ký kết hôn cho con gái, cần giấy gì?", "Dạ, hai cháu mang căn cước và giấy xác nhận tình trạng hôn nhân (nếu khác nơi cư trú) cùng ra UBND xã ạ."),
        ("Chị Lý", "cho hỏi con em 5 tuổi làm căn cước được không?", "Dạ, được ạ. Trẻ dưới 6 tuổi làm căn cước qua VNeID của cha mẹ, không cần thu vân tay ạ."),
        ("Anh Tâm", "Lệ phí trước bạ xe máy nộp ở đâu?", "Dạ, anh nộp online trên Cổng Dịch vụ công quốc gia rồi mang biên lai đi đăng ký xe ạ."),
        ("Bà Tư", "Giấy tờ đất đứng tên ông nội đã mất giờ làm sao sang tên?", "Dạ, gia đình lập văn bản khai nhận di sản thừa kế tại văn phòng công chứng rồi nộp hồ sơ sang tên ạ."),
        ("Ông Năm", "xin hoi tam vang thi bao cho ai", "Dạ, bác khai báo tạm vắng trên VNeID hoặc tại Công an xã ạ."),
        ("Chị Hoa", "Cho hỏi khi nào có tiền hỗ trợ lũ lụt?", "Dạ, danh sách đang được thôn rà soát, dự kiến chi trả vào cuối tháng ạ."),
        ("Anh Đức", "Mất căn cước thì làm lại ở đâu, có mất phí không?", "Dạ, anh làm lại tại Công an xã, lệ phí 70.000 đồng, nộp online được giảm một nửa ạ."),
        ("Cô Ba", "Tôi muốn xin xác nhận cư trú để làm hồ sơ cho cháu?", "Dạ, cô xin trên VNeID mục «Xác nhận thông tin về cư trú», có kết quả trong ngày ạ."),
        ("Chú Sáu", "Đăng ký nhận trợ cấp thất nghiệp ở đâu ạ?", "Dạ, chú nộp hồ sơ tại Trung tâm dịch vụ việc làm của tỉnh hoặc qua Cổng Dịch vụ công trong 3 tháng kể từ ngày nghỉ việc ạ."),
    ];

    /// <param name="now">The moment the story ends before; the system clock when not given (tests fix it).</param>
    public async Task<bool> SeedAsync(DateTimeOffset? now = null, CancellationToken cancellationToken = default)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            if (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM tickets") > 0)
            {
                logger.LogInformation("The sandbox database already has tickets; --seed demo leaves it as it is");
                return false;
            }
        }

        var end = now ?? TimeProvider.System.GetUtcNow();
        var local = LocalTime.ToLocal(end);
        // This morning (up to now) once the office has opened, else yesterday's: the story is always in the past.
        var day = local.TimeOfDay >= TimeSpan.FromHours(8.5) ? local.Date : local.Date.AddDays(-1);
        var start = new DateTimeOffset(day + TimeSpan.FromHours(7.5), LocalTime.Zone.GetUtcOffset(day));
        var team = options.Value.Team;
        var steps = new List<(DateTimeOffset At, Func<Task> Act)>();

        foreach (var member in team)
        {
            steps.Add((start.AddMinutes(-10), () => PostAsync(SandboxChats.Staff, member, "Chào cả tổ, hôm nay em trực ạ.")));
        }
        for (var i = 0; i < Morning.Length; i++)
        {
            var (citizenName, question, answer) = Morning[i];
            // One person per question: the same kinship name recurs, as it does in a commune.
            var citizen = new SandboxPerson($"c-demo-{i}", citizenName);
            var ticket = i + 1;
            var asked = start.AddMinutes(i * 6 + i % 3);
            var chat = i % 5 == 4 ? SandboxChats.Private(citizen.Id) : SandboxChats.Group;
            var member = team[i % team.Count];
            steps.Add((asked, () => PostAsync(chat, citizen, question)));
            var kind = i % 10;
            if (kind is >= 0 and <= 7)
            {
                var claimed = asked.AddMinutes(3 + i % 7);
                steps.Add((claimed, () => PressCardAsync(ticket, member)));
                if (kind <= 6)
                {
                    var answered = claimed.AddMinutes(5 + (i * 7) % 21);
                    steps.Add((answered, () => AnswerAsync(ticket, member, answer)));
                    if (kind <= 3)
                    {
                        steps.Add((answered.AddMinutes(10), () => FeedbackAsync(ticket, chat, citizen, "solved")));
                    }
                    else if (kind == 4 && i == 4)
                    {
                        steps.Add((answered.AddMinutes(15), () => FeedbackAsync(ticket, chat, citizen, "unsolved")));
                        steps.Add((answered.AddMinutes(35), () => AnswerAsync(ticket, member,
                            "Dạ, tổ đã kiểm tra lại: tháng này cô nhận qua tài khoản ngân hàng đã đăng ký, tiền về trước ngày 15 ạ.")));
                    }
                }
            }
        }
        steps.Add((start.AddHours(3.5), () => PostAsync(SandboxChats.Private(options.Value.Admin.Id), options.Value.Admin, "/stats today")));

        var latest = end.AddMinutes(-1);
        try
        {
            foreach (var (at, act) in steps.Where(s => s.At <= latest).OrderBy(s => s.At))
            {
                clock.Frozen = at;
                await act();
                await dispatcher.DispatchDueAsync(cancellationToken);
            }
        }
        finally
        {
            clock.Frozen = null;
        }
        logger.LogInformation("Seeded the sandbox with a morning of {Count} questions from {Start}", Morning.Length, LocalTime.Format(start));
        return true;
    }

    private Task PostAsync(string chat, SandboxPerson person, string text, long? replyTo = null) =>
        channel.PostAsync(new SandboxPost(chat, person.Id, person.Name, text, replyTo));

    private async Task PressCardAsync(long ticket, SandboxPerson member)
    {
        if (await LinkAsync(ticket, "card") is { } card)
        {
            await channel.PressAsync(new SandboxPress(SandboxChats.Staff, card, member.Id, member.Name, $"claim:{ticket}"));
        }
    }

    private async Task AnswerAsync(long ticket, SandboxPerson member, string answer)
    {
        if (await LinkAsync(ticket, "card") is { } card)
        {
            await PostAsync(SandboxChats.Staff, member, answer, card);
        }
    }

    private async Task FeedbackAsync(long ticket, string chat, SandboxPerson citizen, string choice)
    {
        if (await LinkAsync(ticket, "answer") is { } answer)
        {
            await channel.PressAsync(new SandboxPress(chat, answer, citizen.Id, citizen.Name, $"{choice}:{ticket}"));
        }
    }

    private async Task<long?> LinkAsync(long ticket, string role)
    {
        await using var connection = await database.OpenAsync();
        var id = await connection.QueryFirstOrDefaultAsync<string>(
            "SELECT message_id FROM message_links WHERE ticket_id = @ticket AND role = @role AND channel = 'sandbox' ORDER BY created_at DESC LIMIT 1",
            new { ticket, role });
        return id is null ? null : long.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
    }
}
