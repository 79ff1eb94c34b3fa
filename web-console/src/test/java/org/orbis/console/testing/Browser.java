package org.orbis.console.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium per test, driven through the system chromedriver (nothing is downloaded). Registered as
 * a JUnit extension: it starts the browser before each test, saves a screenshot and the browser log under
 * {@code target/screenshots/} when a test fails, fails a test whose page logged a SEVERE entry (other than the ones
 * the test said to expect), and quits the browser. Without Chromium the test fails and says how to install it.
 */
public final class Browser implements BeforeEachCallback, AfterTestExecutionCallback, AfterEachCallback {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private ChromeDriver driver;
    private Path profile;
    private final List<Predicate<String>> expectedSevere = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("browser tests need Debian's Chromium and its driver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": install them with 'apt-get install -y chromium chromium-driver' (.ci/run does), "
                    + "or skip these tests locally with -Dsurefire.excludedGroups=benchmark,browser");
        }
        profile = Files.createTempDirectory("orbis-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--window-size=1280,900", "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        expectedSevere.clear();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && driver != null) {
            String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
            try {
                Files.createDirectories(SCREENSHOTS);
                Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
                StringBuilder log = new StringBuilder("URL: " + driver.getCurrentUrl() + "\n");
                driver.manage().logs().get(LogType.BROWSER).forEach(entry -> log.append(entry).append('\n'));
                Files.writeString(SCREENSHOTS.resolve(name + ".log"), log);
            } catch (IOException | RuntimeException e) {
                System.err.println("could not save the failure screenshot: " + e);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (driver != null && context.getExecutionException().isEmpty()) {
                List<String> severe = new ArrayList<>();
                for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                    if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
                            && expectedSevere.stream().noneMatch(expected -> expected.test(entry.getMessage()))) {
                        severe.add(entry.getMessage());
                    }
                }
                if (!severe.isEmpty()) {
                    throw new AssertionError("the page logged errors in the browser console: " + severe);
                }
            }
        } finally {
            if (driver != null) {
                driver.quit();
                driver = null;
            }
            deleteQuietly(profile);
        }
    }

    /** A SEVERE browser-log entry this test causes on purpose (e.g. a 403 the page shows). */
    public void expectSevere(Predicate<String> entry) {
        expectedSevere.add(entry);
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(By by) {
        return until(d -> d.findElement(by));
    }

    /** Waits until an element is there and visible, then answers it. */
    public WebElement visible(By by) {
        return until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    public String text(By by) {
        List<WebElement> found = driver.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    public <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
    }

    public void untilText(By by, Predicate<String> condition, String description) {
        untilText(by, condition, description, WAIT);
    }

    /** Like {@link #untilText(By, Predicate, String)}, for what takes longer than the usual wait (a whole rollout). */
    public void untilText(By by, Predicate<String> condition, String description, Duration within) {
        new WebDriverWait(driver, within).withMessage(() -> description + "; it shows '" + text(by) + "'")
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.test(text(by)));
    }

    /** Signs in through the console's form and waits for the navigation to appear. */
    public void signIn(String baseUrl, String username, String password) {
        open(baseUrl + "/");
        visible(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in-button")).click();
        visible(By.id("nav"));
        untilText(By.id("who"), text -> text.startsWith(username), "signed in as " + username);
    }

    private static void deleteQuietly(Path directory) throws IOException {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // a crashed Chromium may still hold files; the temp directory is cleaned by the OS
                }
            });
        } catch (UncheckedIOException e) {
            // ditto
        }
    }
}
