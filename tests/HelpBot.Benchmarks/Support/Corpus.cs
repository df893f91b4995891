namespace HelpBot.Benchmarks.Support;

/// <summary>Realistic Vietnamese texts and names: what citizens ask a commune, with and without diacritics.</summary>
public static class Corpus
{
    public static readonly string[] Questions =
    [
        "Cho hỏi làm căn cước cho cháu 14 tuổi ở đâu ạ?",
        "Xin hỏi đăng ký khai sinh online thế nào vậy?",
        "Tôi muốn đăng ký thường trú cho con dâu thì cần giấy tờ gì ạ?",
        "Cho em hỏi kích hoạt VNeID mức 2 mất bao lâu?",
        "Trợ cấp người cao tuổi tháng này nhận ở đâu ạ?",
        "cho hoi lam so do dat mat bao lau a?",
        "Nộp hồ sơ cấp đổi giấy chứng nhận quyền sử dụng đất ở bộ phận một cửa được không ạ?",
        "Bác tôi 80 tuổi không đi lại được, cán bộ có đến nhà làm căn cước được không?",
        "xin hoi dang ky ket hon can mang theo nhung gi?",
        "Cho mình hỏi nộp lệ phí trước bạ qua Cổng dịch vụ công thế nào?",
        "Con tôi mất giấy khai sinh, xin cấp bản sao ở đâu ạ?",
        "Hộ nghèo năm nay đăng ký đến khi nào thì hết hạn ạ?",
        "Cho hỏi chứng thực bản sao hết bao nhiêu tiền một trang?",
        "Tôi ở thôn Nà Sáng, xin hỏi thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi làm thế nào?",
        "Làm sao để đổi lại mật khẩu tài khoản VNeID ạ?",
        "dang ky tam tru cho nguoi thue tro lam o dau vay a?",
        "Xin hỏi giấy xác nhận tình trạng hôn nhân có cần mang căn cước không?",
        "Ông nhà tôi mất, làm giấy chứng tử và hưởng chế độ mai táng phí thế nào ạ?",
        "Cho hỏi thanh toán phí qua ngân hàng trên dịch vụ công có được không?",
        "Bao giờ thì có kết quả cấp đổi sổ đỏ ạ? Tôi nộp từ tháng trước rồi?",
    ];

    public static readonly string[] Answers =
    [
        "Dạ, bác đưa cháu ra Công an xã, mang theo giấy khai sinh bản gốc ạ.",
        "Dạ, bác nộp hồ sơ trên Cổng Dịch vụ công quốc gia, cần ảnh chụp giấy tờ tùy thân ạ.",
        "Dạ, bác mang sổ hộ khẩu cũ và căn cước của hai người ra bộ phận một cửa UBND xã ạ.",
        "Dạ, thường 5 ngày làm việc; bác kiểm tra trên ứng dụng VNeID giúp cháu ạ.",
        "Dạ, từ tháng này bác nhận qua tài khoản ngân hàng hoặc tại bưu điện xã ạ.",
    ];

    public static readonly string[] ClassifySamples =
    [
        "Cho hỏi làm căn cước cho cháu 14 tuổi ở đâu ạ",
        "cho hoi lam so do dat mat bao lau a",
        "Dạ em cảm ơn cán bộ nhiều ạ",
        "Chào buổi sáng cả nhà",
        "Hôm nay trời mưa to quá, đường vào thôn Nà Sáng bị ngập rồi",
        "Tôi muốn đăng ký thường trú cho con dâu thì cần giấy tờ gì",
        "ok",
        "Bác tôi 80 tuổi không đi lại được, cán bộ có đến nhà làm căn cước được không",
        "Nộp hồ sơ cấp đổi giấy chứng nhận quyền sử dụng đất ở bộ phận một cửa, bao nhiêu ngày thì có kết quả, có mất phí gì không, tôi ở xa nên muốn hỏi trước cho chắc",
        "👍",
    ];

    private static readonly string[] FamilyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Lò", "Hà", "Sầm"];
    private static readonly string[] GivenNames = ["Văn Tư", "Thị Lan", "Văn Minh", "Thị Hoa", "Đức Thắng", "Thị Mai", "Văn Hùng", "Thị Nga", "Quang Huy", "Thị Sen"];
    private static readonly string[] StaffNames = ["Lan", "Minh", "Tuấn", "Hằng", "Dũng", "Thảo", "Phong", "Yến", "Hiếu", "Trang"];

    public static string CitizenName(int i) => $"{FamilyNames[i % FamilyNames.Length]} {GivenNames[i / FamilyNames.Length % GivenNames.Length]}";

    public static string StaffName(int k) => k < StaffNames.Length ? StaffNames[k] : $"{StaffNames[k % StaffNames.Length]} {k / StaffNames.Length + 1}";
}
