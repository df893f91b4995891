using HelpBot.Text;
using Microsoft.Extensions.Options;

namespace HelpBot.Categories;

/// <summary>The <c>HelpBot:Categories</c> list; empty means the defaults below.</summary>
public sealed class CategoryOptions
{
    public List<Category> Categories { get; set; } = [];
}

/// <summary>
/// The procedures a commune answers about, and a classifier that reads a question's words (folded, so
/// "dang ky tam tru" = "đăng ký tạm trú") and picks the category whose keywords weigh most. A keyword
/// weighs its number of words: "tạm trú" beats "đăng ký", which many procedures share.
/// </summary>
public sealed class CategoryCatalog
{
    public const string Other = "khac";

    private readonly IReadOnlyList<Category> _categories;
    private readonly IReadOnlyList<(Category Category, string[] Keywords)> _folded;

    public CategoryCatalog(IOptions<CategoryOptions> options)
        : this(options.Value.Categories.Count > 0 ? options.Value.Categories : Defaults())
    {
    }

    public CategoryCatalog(IReadOnlyList<Category> categories)
    {
        _categories = categories.Any(c => c.Code == Other)
            ? categories
            : [.. categories, new Category { Code = Other, Name = "Khác" }];
        _folded = _categories
            .Select(c => (c, c.Keywords.Select(VietnameseText.Fold).Where(k => k.Length > 0).Distinct().ToArray()))
            .ToList();
    }

    public IReadOnlyList<Category> All => _categories;

    public Category Get(string? code) =>
        _categories.FirstOrDefault(c => c.Code == code) ?? _categories.First(c => c.Code == Other);

    /// <summary>A category from what a person typed: its code or its name, with or without diacritics.</summary>
    public Category? Find(string text)
    {
        var folded = VietnameseText.Fold(text);
        return _categories.FirstOrDefault(c => c.Code == text.Trim().ToLowerInvariant() || VietnameseText.Fold(c.Code) == folded)
            ?? _categories.FirstOrDefault(c => VietnameseText.Fold(c.Name) == folded)
            ?? _categories.FirstOrDefault(c => folded.Length >= 3 && VietnameseText.Fold(c.Name).StartsWith(folded, StringComparison.Ordinal));
    }

    public Category Classify(string? question)
    {
        var folded = Expand(VietnameseText.Fold(question));
        Category? best = null;
        var bestScore = 0;
        foreach (var (category, keywords) in _folded)
        {
            var score = 0;
            foreach (var keyword in keywords)
            {
                if (VietnameseText.ContainsPhrase(folded, keyword))
                {
                    score += keyword.Count(c => c == ' ') + 1;
                }
            }
            if (score > bestScore)
            {
                best = category;
                bestScore = score;
            }
        }
        return best ?? Get(Other);
    }

    // Chat shorthand read as the words it stands for, so keywords need not list every spelling.
    private static readonly (string Short, string Long)[] Shorthand =
    [
        ("dk", "dang ky"), ("đk", "dang ky"), ("ko", "khong"), ("k", "khong"), ("dc", "duoc"), ("cmnd", "chung minh nhan dan"),
        ("gks", "giay khai sinh"), ("sdd", "so do"), ("bhxh", "bao hiem xa hoi"), ("dvc", "dich vu cong"),
    ];

    private static string Expand(string folded)
    {
        var words = folded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            foreach (var (s, l) in Shorthand)
            {
                if (words[i] == s)
                {
                    words[i] = l;
                }
            }
        }
        return string.Join(' ', words);
    }

    /// <summary>A working day of the default calendar: 07:30–11:30 and 13:30–17:00.</summary>
    public static TimeSpan WorkingDays(int days) => TimeSpan.FromHours(7.5 * days);

    /// <summary>Commune-level procedures, with the words citizens use for them. Targets are working time.</summary>
    public static IReadOnlyList<Category> Defaults() =>
    [
        new()
        {
            Code = "cu-tru", Name = "Cư trú",
            Keywords = ["cư trú", "thường trú", "tạm trú", "tạm vắng", "hộ khẩu", "sổ hộ khẩu", "nhập khẩu", "chuyển khẩu",
                "tách khẩu", "tách hộ", "xác nhận cư trú", "lưu trú", "khai báo tạm vắng", "chủ hộ", "chuyển hộ khẩu", "nơi ở"],
            FirstResponseTarget = TimeSpan.FromHours(4), ResolutionTarget = WorkingDays(3),
        },
        new()
        {
            Code = "ho-tich", Name = "Hộ tịch",
            Keywords = ["hộ tịch", "khai sinh", "giấy khai sinh", "trích lục", "kết hôn", "đăng ký kết hôn", "tình trạng hôn nhân",
                "độc thân", "khai tử", "giấy báo tử", "báo tử", "ly hôn", "nhận cha con", "nhận cha mẹ con", "giám hộ", "cải chính",
                "thay đổi họ tên", "đổi tên", "xác định lại dân tộc", "chứng thực", "bản sao", "sao y", "hôn nhân", "làm giấy khai sinh"],
            FirstResponseTarget = TimeSpan.FromHours(4), ResolutionTarget = WorkingDays(3),
        },
        new()
        {
            Code = "can-cuoc", Name = "Căn cước, VNeID",
            Keywords = ["căn cước", "cccd", "chứng minh nhân dân", "chứng minh thư", "vneid", "định danh", "định danh điện tử",
                "mức 2", "mức 1", "tài khoản định danh", "kích hoạt", "thẻ căn cước", "làm căn cước", "cấp đổi căn cước", "vân tay", "mã định danh"],
            FirstResponseTarget = TimeSpan.FromHours(4), ResolutionTarget = WorkingDays(2),
        },
        new()
        {
            Code = "dat-dai", Name = "Đất đai",
            Keywords = ["đất", "đất đai", "sổ đỏ", "sổ hồng", "quyền sử dụng đất", "giấy chứng nhận quyền sử dụng đất", "thửa đất",
                "sang tên", "chuyển nhượng", "tách thửa", "chuyển mục đích", "thổ cư", "đất ở", "đất nông nghiệp", "địa chính",
                "tranh chấp đất", "thừa kế", "tặng cho", "bản đồ địa chính", "cấp sổ", "xây nhà", "giấy phép xây dựng", "sửa nhà"],
            FirstResponseTarget = TimeSpan.FromHours(4), ResolutionTarget = WorkingDays(5),
        },
        new()
        {
            Code = "bao-tro", Name = "Bảo trợ xã hội",
            Keywords = ["bảo trợ xã hội", "trợ cấp", "người cao tuổi", "người già", "khuyết tật", "hộ nghèo", "cận nghèo",
                "mồ côi", "trợ cấp xã hội", "mai táng", "mai táng phí", "chế độ", "người có công", "thương binh", "liệt sĩ",
                "hỗ trợ lũ", "lũ lụt", "tiền hỗ trợ", "khó khăn", "bảo trợ", "trợ cấp người cao tuổi", "chính sách"],
            FirstResponseTarget = TimeSpan.FromHours(4), ResolutionTarget = WorkingDays(5),
        },
        new()
        {
            Code = "bhyt", Name = "Bảo hiểm y tế",
            Keywords = ["bảo hiểm y tế", "bhyt", "thẻ bảo hiểm", "thẻ bhyt", "bảo hiểm", "vssid", "khám chữa bệnh", "gia hạn thẻ",
                "bảo hiểm xã hội", "đóng bảo hiểm", "hộ gia đình", "học sinh", "thẻ y tế"],
            FirstResponseTarget = TimeSpan.FromHours(4), ResolutionTarget = WorkingDays(2),
        },
        new()
        {
            Code = "dich-vu-cong", Name = "Dịch vụ công trực tuyến, thanh toán",
            Keywords = ["dịch vụ công", "cổng dịch vụ công", "nộp online", "trực tuyến", "online", "thanh toán", "lệ phí",
                "phí", "chuyển khoản", "nộp tiền", "biên lai", "mã hồ sơ", "tra cứu hồ sơ", "hồ sơ trực tuyến", "tài khoản",
                "đăng nhập", "mật khẩu", "otp", "lỗi", "thanh toán trực tuyến", "kết quả hồ sơ", "chữ ký số"],
            FirstResponseTarget = TimeSpan.FromHours(2), ResolutionTarget = WorkingDays(1),
        },
        new()
        {
            Code = "ho-kinh-doanh", Name = "Hộ kinh doanh",
            Keywords = ["hộ kinh doanh", "kinh doanh", "giấy phép kinh doanh", "đăng ký kinh doanh", "buôn bán", "mở quán",
                "mở cửa hàng", "bán hàng", "thuế khoán", "mã số thuế", "tạm ngừng kinh doanh", "an toàn thực phẩm", "quán ăn", "tạp hóa"],
            FirstResponseTarget = TimeSpan.FromHours(4), ResolutionTarget = WorkingDays(3),
        },
        new() { Code = Other, Name = "Khác", FirstResponseTarget = TimeSpan.FromHours(4), ResolutionTarget = WorkingDays(3) },
    ];
}
