using HelpBot.Inbox;
using HelpBot.Text;

namespace HelpBot.Tests.Inbox;

public sealed class QuestionDetectorTests
{
    [Theory]
    [InlineData("Cho hỏi làm căn cước cho con ở đâu ạ")]
    [InlineData("cho hoi lam cccd o dau a")]
    [InlineData("Xin hỏi thủ tục đăng ký tạm trú")]
    [InlineData("xin hoi thu tuc dang ky tam tru")]
    [InlineData("Làm sao để kích hoạt VNeID mức 2")]
    [InlineData("lam sao de kich hoat vneid muc 2")]
    [InlineData("Đăng ký khai sinh online thế nào")]
    [InlineData("nộp hồ sơ ở đâu")]
    [InlineData("Cấp lại sổ đỏ mất bao lâu")]
    [InlineData("con tôi 17 tuổi làm căn cước có được không")]
    [InlineData("co duoc khong")]
    [InlineData("Trợ cấp người cao tuổi bao nhiêu tiền 1 tháng")]
    [InlineData("Mai UBND có làm việc không?")]
    [InlineData("thanh toán lệ phí online bị lỗi, giúp em với")]
    [InlineData("CHO EM HỎI GIẤY KHAI SINH BẢN SAO")]
    public void Questions_with_and_without_diacritics_open_tickets(string text) =>
        Assert.Equal(MessageIntent.Question, QuestionDetector.Classify(text));

    [Theory]
    [InlineData("Chào cả nhà")]
    [InlineData("chao ca nha")]
    [InlineData("Cảm ơn anh chị nhiều ạ")]
    [InlineData("cam on a")]
    [InlineData("ok ạ")]
    [InlineData("Dạ vâng")]
    [InlineData("👍")]
    [InlineData("tks ad")]
    [InlineData("")]
    public void Greetings_and_thanks_are_small_talk(string text) =>
        Assert.Equal(MessageIntent.SmallTalk, QuestionDetector.Classify(text));

    [Theory]
    [InlineData("Hôm nay trời đẹp quá")]
    [InlineData("Thôn 3 mai họp lúc 8h")]
    [InlineData("Tôi đã nộp hồ sơ rồi")]
    public void Chatter_is_not_a_question(string text) =>
        Assert.Equal(MessageIntent.Chatter, QuestionDetector.Classify(text));

    [Fact]
    public void A_mention_or_a_reply_to_the_bot_is_a_question() =>
        Assert.Equal(MessageIntent.Question, QuestionDetector.Classify("giấy tờ của tôi đây", mentionsBot: true));

    [Theory]
    [InlineData("Đăng Ký Tạm Trú", "dang ky tam tru")]
    [InlineData("  Sổ   đỏ!!! ", "so do")]
    [InlineData("ĐĂNG KÝ", "dang ky")]
    [InlineData("căn\u200Bcước", "cancuoc")]
    [InlineData("Cho hỏi?", "cho hoi")]
    public void Folding_strips_diacritics_case_punctuation_and_spaces(string text, string folded) =>
        Assert.Equal(folded, VietnameseText.Fold(text));
}
