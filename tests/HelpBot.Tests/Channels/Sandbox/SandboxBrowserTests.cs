using System.Collections.ObjectModel;
using HelpBot.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace HelpBot.Tests.Channels.Sandbox;

/// <summary>
/// The sandbox page in a real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs
/// them): a citizen asks, the card appears for the team, a claim and a reply bring the answer back under
/// the question. The final screen is saved as artifacts/sandbox-e2e.png.
/// </summary>
public sealed class SandboxBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";
    private SandboxHarness _s = null!;
    private ChromeDriver _browser = null!;
    private string _profile = "";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver),
            $"The browser test needs Debian's chromium and chromium-driver ({Chromium}, {ChromeDriver}): apt-get install -y chromium chromium-driver, or run .ci/run, which installs them.");
        _s = await SandboxHarness.StartAsync();
        _profile = Directory.CreateTempSubdirectory("helpbot-chromium-").FullName;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        // Only loopback: no background networking, no component or sync traffic.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--window-size=1400,900", $"--user-data-dir={_profile}");
        _browser = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        _browser?.Quit();
        _browser?.Dispose();
        await _s.DisposeAsync();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a lock file for a moment; the temp folder is cleaned by the OS.
        }
    }

    private static void Until(string what, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (StaleElementReferenceException)
            {
                // The pane was redrawn between finding and reading; look again.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out in the browser waiting until {what}.");
            }
            Thread.Sleep(20);
        }
    }

    /// <summary>Finds and acts again if the pane redrew the element in between.</summary>
    private static void Act(string what, Action act) => Until(what, () =>
    {
        act();
        return true;
    });

    private ReadOnlyCollection<IWebElement> Messages(string pane) => _browser.FindElements(By.CssSelector($"#{pane}-list .msg"));

    /// <summary>The last message whose own text (not a quote of another) contains <paramref name="contains"/>.</summary>
    private IWebElement Message(string pane, string contains)
    {
        IWebElement? found = null;
        Until($"the {pane} pane shows “{contains}”", () => (found = Messages(pane).LastOrDefault(m =>
            m.FindElements(By.CssSelector(".body")).Any(b => b.Text.Contains(contains, StringComparison.Ordinal)))) is not null);
        return found!;
    }

    private void Type(string pane, string text)
    {
        var box = _browser.FindElement(By.Id($"{pane}-text"));
        box.Clear();
        box.SendKeys(text);
        _browser.FindElement(By.Id($"{pane}-send")).Click();
    }

    [Fact]
    public void A_trainee_asks_claims_and_answers_in_the_browser_and_sees_the_answer_under_the_question()
    {
        _browser.Navigate().GoToUrl(_s.BaseUrl);
        Until("the page has loaded", () => _browser.FindElement(By.TagName("body")).GetAttribute("data-ready") == "1");

        Type("citizen", "Cho hỏi làm căn cước cho con 14 tuổi ở đâu ạ?");
        var card = Message("staff", "Phiếu #1");
        Assert.Contains("làm căn cước cho con 14 tuổi", card.Text, StringComparison.Ordinal);
        Act("claim is clicked", () => Message("staff", "Phiếu #1").FindElements(By.CssSelector(".kb button")).Single(b => b.Text == "Nhận xử lý").Click());
        Until("the card shows its owner", () => Message("staff", "Phiếu #1").Text.Contains("Đang xử lý", StringComparison.Ordinal));

        Act("reply is clicked", () => Message("staff", "Phiếu #1").FindElement(By.CssSelector(".actions .reply")).Click());
        Type("staff", "Dạ, anh/chị đưa cháu ra Công an xã, mang theo giấy khai sinh ạ.");
        Until("the answer is under the question", () =>
            Message("citizen", "mang theo giấy khai sinh").FindElement(By.CssSelector(".quote")).Text.Contains("Bà Tư: Cho hỏi làm căn cước", StringComparison.Ordinal)
            && Message("citizen", "mang theo giấy khai sinh").Text.Contains("Đã giải quyết", StringComparison.Ordinal));

        Act("solved is clicked", () => Message("citizen", "mang theo giấy khai sinh").FindElements(By.CssSelector(".kb button")).Single(b => b.Text == "Đã giải quyết").Click());
        Until("the card shows it solved", () => Message("staff", "Phiếu #1").Text.Contains("Đã giải quyết", StringComparison.Ordinal));

        // Markup typed by a person is shown as text, never run, on both sides.
        Type("citizen", "<script>window.pwned = 1</script><b>đậm</b> cho hỏi?");
        Until("the markup shows as text", () => Message("citizen", "<script>window.pwned = 1</script>").FindElements(By.TagName("b")).Count == 0);
        Until("the new card shows the markup as text", () => Message("staff", "Phiếu #2").Text.Contains("<b>đậm</b>", StringComparison.Ordinal));
        Assert.Null(_browser.ExecuteScript("return window.pwned === undefined ? null : window.pwned;"));

        _browser.ExecuteScript("document.querySelectorAll('.list').forEach(l => l.scrollTop = l.scrollHeight)");
        var artifacts = Path.Combine(Docs.StateMachineDocsTests.RepositoryRoot(), "artifacts");
        Directory.CreateDirectory(artifacts);
        _browser.GetScreenshot().SaveAsFile(Path.Combine(artifacts, "sandbox-e2e.png"));
    }

    [Fact]
    public void On_a_phone_sized_screen_the_panes_become_tabs()
    {
        _browser.Manage().Window.Size = new System.Drawing.Size(390, 844);
        _browser.Navigate().GoToUrl(_s.BaseUrl);
        Until("the page has loaded", () => _browser.FindElement(By.TagName("body")).GetAttribute("data-ready") == "1");
        Assert.True(_browser.FindElement(By.Id("tabs")).Displayed);
        Assert.True(_browser.FindElement(By.Id("pane-citizen")).Displayed);
        Assert.False(_browser.FindElement(By.Id("pane-staff")).Displayed);
        _browser.FindElements(By.CssSelector("#tabs button")).Single(b => b.Text == "Tổ hỗ trợ").Click();
        Until("the staff pane is shown", () => _browser.FindElement(By.Id("pane-staff")).Displayed);
        Assert.False(_browser.FindElement(By.Id("pane-citizen")).Displayed);
        var artifacts = Path.Combine(Docs.StateMachineDocsTests.RepositoryRoot(), "artifacts");
        Directory.CreateDirectory(artifacts);
        _browser.GetScreenshot().SaveAsFile(Path.Combine(artifacts, "sandbox-phone.png"));
    }
}
