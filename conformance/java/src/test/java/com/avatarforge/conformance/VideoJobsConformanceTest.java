package com.avatarforge.conformance;

import static com.avatarforge.conformance.Check.check;
import static com.avatarforge.conformance.Check.eq;
import static com.avatarforge.conformance.Check.env;
import static com.avatarforge.conformance.Check.expectClientError;
import static com.avatarforge.conformance.Check.isHex32;
import static com.avatarforge.conformance.Check.isTime;
import static com.avatarforge.conformance.Check.value;

import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.auth.ICredential;
import com.huaweicloud.sdk.core.exception.ClientRequestException;
import com.huaweicloud.sdk.core.exception.ServiceResponseException;
import com.huaweicloud.sdk.metastudio.v1.MetaStudioClient;
import com.huaweicloud.sdk.metastudio.v1.model.Cancel2DDigitalHumanVideoRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Cancel2DDigitalHumanVideoResponse;
import com.huaweicloud.sdk.metastudio.v1.model.Create2DDigitalHumanVideoReq;
import com.huaweicloud.sdk.metastudio.v1.model.Create2DDigitalHumanVideoRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Create2DDigitalHumanVideoResponse;
import com.huaweicloud.sdk.metastudio.v1.model.Create2dModelTrainingJobReq;
import com.huaweicloud.sdk.metastudio.v1.model.Create2dModelTrainingJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.DigitalHumanVideo;
import com.huaweicloud.sdk.metastudio.v1.model.ListDigitalHumanVideoRequest;
import com.huaweicloud.sdk.metastudio.v1.model.ListDigitalHumanVideoResponse;
import com.huaweicloud.sdk.metastudio.v1.model.OutputAssetConfig;
import com.huaweicloud.sdk.metastudio.v1.model.ShootScript;
import com.huaweicloud.sdk.metastudio.v1.model.ShootScriptItem;
import com.huaweicloud.sdk.metastudio.v1.model.Show2DDigitalHumanVideoRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Show2DDigitalHumanVideoResponse;
import com.huaweicloud.sdk.metastudio.v1.model.TextConfig;
import com.huaweicloud.sdk.metastudio.v1.model.VideoConfig;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * The 2D digital-human video jobs through the official Java SDK (huaweicloud-sdk-metastudio
 * 3.1.143): create2DDigitalHumanVideo, show2DDigitalHumanVideo, cancel2DDigitalHumanVideo and
 * listDigitalHumanVideo, with the SDK's own request and model classes.
 *
 * <p>The server (conformance/server.sh) runs in emulator mode with in-process video_render workers
 * forced to succeed: a job renders a test-pattern MP4 (H.264 + AAC) at the requested size, as long
 * as its scripts. A finished model is a training job made JOB_SUCCESS (with an asset id) in the
 * server's SQLite file, standing in for the training pipeline. AUDIO scripts name a WAV this test
 * serves on 127.0.0.1:$AF_AUDIO_PORT, the one host the server may fetch audio from.
 *
 * <p>Mirrors test/api/videoJobs.test.ts where the Java SDK can express it (3.1.143 has no List
 * job_ids). The tests run in order and build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VideoJobsConformanceTest {
    static final String APP_USER = "java-video";
    static final double TOLERANCE_SECONDS = 0.2;
    static final Duration RENDER_TIMEOUT = Duration.ofSeconds(60);

    static String projectId;
    static MetaStudioClient client;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static int assertionsBefore;

    // The audio host: one WAV, a redirect to it, a 404 for anything else; every request path recorded.
    static HttpServer audioServer;
    static String audioBase;
    static final List<String> audioRequests = Collections.synchronizedList(new ArrayList<>());
    static Path media;

    // What the scenario learns as it goes.
    static String modelAsset;
    static String textJob;
    static String audioJob;
    static final List<String> listJobs = new ArrayList<>();

    /** getXRequestId() of every successful response, checked in the last test. */
    static final List<String[]> requestIds = new ArrayList<>();

    // ---------------------------------------------------------------------------------------------
    // Setup: the client, the WAV, the audio host, a finished model
    // ---------------------------------------------------------------------------------------------

    @BeforeAll
    static void setUp() throws Exception {
        assertionsBefore = Check.count;
        projectId = env("AF_PROJECT_ID");
        ICredential auth = new BasicCredentials().withProjectId(projectId)
            .withAk(env("AF_ACCESS_KEY")).withSk(env("AF_SECRET_KEY"));
        client = MetaStudioClient.newBuilder().withCredential(auth).withEndpoints(List.of(env("AF_BASE_URL"))).build();

        media = Files.createTempDirectory("avatarforge-java-video-");
        Path wavFile = media.resolve("tone.wav");
        run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=16000:duration=3",
            "-ac", "1", wavFile.toString()));
        byte[] wav = Files.readAllBytes(wavFile);

        int port = Integer.parseInt(env("AF_AUDIO_PORT"));
        audioServer = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        audioServer.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            audioRequests.add(path);
            if (path.equals("/speech.wav")) {
                exchange.getResponseHeaders().add("Content-Type", "audio/wav");
                exchange.sendResponseHeaders(200, wav.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(wav);
                }
            } else if (path.equals("/redirect")) {
                exchange.getResponseHeaders().add("Location", "/speech.wav");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        audioServer.start();
        audioBase = "http://127.0.0.1:" + port;

        modelAsset = finishedModel(APP_USER, "java video presenter");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (audioServer != null) {
            audioServer.stop(0);
        }
        if (media != null) {
            try (var files = Files.walk(media)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("java conformance (video jobs): " + (Check.count - assertionsBefore)
            + " assertions (" + Check.count + " in all)");
    }

    /** Runs a command; answers its output (stdout and stderr), failing on a non-zero exit code. */
    static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + status + ": " + output);
        }
        return output;
    }

    /**
     * Stands in for the training pipeline (held at the review in this suite): statements against the
     * server's SQLite file, as TrainingJobsConformanceTest does for a failed review.
     */
    static void sqlite(String statements) throws Exception {
        Process sqlite = new ProcessBuilder("sqlite3", env("AF_DB_PATH")).redirectErrorStream(true).start();
        sqlite.getOutputStream().write((".timeout 10000\n" + statements).getBytes(StandardCharsets.UTF_8));
        sqlite.getOutputStream().close();
        String output = new String(sqlite.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        eq(sqlite.waitFor(), 0, "sqlite3 exit code: " + output);
    }

    /** A training job of the app user created through the SDK, then given an asset id (and optionally finished). */
    static String trainingJobWithAsset(String appUser, String name, boolean finished) throws Exception {
        String jobId = client.create2dModelTrainingJob(new Create2dModelTrainingJobRequest()
            .withXAppUserId(appUser).withBody(new Create2dModelTrainingJobReq().withName(name))).getJobId();
        isHex32(jobId, "training job_id");
        String assetId = "asset" + jobId.substring(5);
        sqlite("UPDATE training_jobs SET " + (finished ? "state='JOB_SUCCESS', " : "") + "asset_id='" + assetId
            + "', version=version+1 WHERE job_id='" + jobId + "';\n"
            + "UPDATE projects SET jobs_version=jobs_version+1;\n");
        return assetId;
    }

    static String finishedModel(String appUser, String name) throws Exception {
        return trainingJobWithAsset(appUser, name, true);
    }

    // ---------------------------------------------------------------------------------------------
    // SDK helpers
    // ---------------------------------------------------------------------------------------------

    static VideoConfig videoConfig(int width, int height) {
        return new VideoConfig().withCodec(VideoConfig.CodecEnum.H264).withWidth(width).withHeight(height)
            .withFrameRate(VideoConfig.FrameRateEnum._25).withBitrate(4000);
    }

    static Create2DDigitalHumanVideoReq textVideo(String assetId, String text, String assetName) {
        return new Create2DDigitalHumanVideoReq()
            .withModelAssetId(assetId)
            .withVideoConfig(videoConfig(1920, 1080))
            .withShootScripts(List.of(new ShootScriptItem().withSequenceNo(0).withShootScript(new ShootScript()
                .withScriptType(ShootScript.ScriptTypeEnum.TEXT).withTextConfig(new TextConfig().withText(text)))))
            .withOutputAssetConfig(new OutputAssetConfig().withAssetName(assetName));
    }

    static Create2DDigitalHumanVideoReq audioVideo(String assetId, String url) {
        return new Create2DDigitalHumanVideoReq()
            .withModelAssetId(assetId)
            .withVideoConfig(videoConfig(1280, 720))
            .withShootScripts(List.of(new ShootScriptItem().withSequenceNo(0).withShootScript(new ShootScript()
                .withScriptType(ShootScript.ScriptTypeEnum.AUDIO).withAudioDriveFileExternalUrl(url))));
    }

    static Create2DDigitalHumanVideoResponse create(String appUser, Create2DDigitalHumanVideoReq body) {
        Create2DDigitalHumanVideoResponse created = client.create2DDigitalHumanVideo(
            new Create2DDigitalHumanVideoRequest().withXAppUserId(appUser).withBody(body));
        eq(created.getHttpStatusCode(), 200, "Create status");
        isHex32(created.getJobId(), "Create job_id");
        requestId(created.getXRequestId(), "create");
        return created;
    }

    static Show2DDigitalHumanVideoResponse show(String appUser, String jobId, Boolean showScript) {
        Show2DDigitalHumanVideoRequest request = new Show2DDigitalHumanVideoRequest().withJobId(jobId).withXAppUserId(appUser);
        if (showScript != null) {
            request.withShowScript(showScript);
        }
        return client.show2DDigitalHumanVideo(request);
    }

    static Cancel2DDigitalHumanVideoResponse cancel(String appUser, String jobId) {
        return client.cancel2DDigitalHumanVideo(new Cancel2DDigitalHumanVideoRequest().withJobId(jobId).withXAppUserId(appUser));
    }

    static ListDigitalHumanVideoResponse list(String appUser, Consumer<ListDigitalHumanVideoRequest> filters) {
        ListDigitalHumanVideoRequest request = new ListDigitalHumanVideoRequest().withXAppUserId(appUser);
        filters.accept(request);
        return client.listDigitalHumanVideo(request);
    }

    static List<String> ids(ListDigitalHumanVideoResponse listed) {
        return listed.getJobs().stream().map(DigitalHumanVideo::getJobId).collect(Collectors.toList());
    }

    /** Polls Show until the job is SUCCEED; WAITING and PROCESSING on the way, nothing else. */
    static Show2DDigitalHumanVideoResponse waitForSuccess(String appUser, String jobId) throws Exception {
        long deadline = System.nanoTime() + RENDER_TIMEOUT.toNanos();
        for (;;) {
            Show2DDigitalHumanVideoResponse shown = show(appUser, jobId, null);
            String state = value(shown.getState());
            if ("SUCCEED".equals(state)) {
                check(true, "job " + jobId + " SUCCEED");
                return shown;
            }
            // Not counted per poll (the number of polls varies); one counted check once SUCCEED.
            if (!"WAITING".equals(state) && !"PROCESSING".equals(state)) {
                throw new AssertionError("unexpected state " + state + " of " + jobId + ": " + shown);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " did not SUCCEED within " + RENDER_TIMEOUT + ": " + shown);
            }
            Thread.sleep(100);
        }
    }

    static void requestId(String value, String what) {
        requestIds.add(new String[] {what, value});
    }

    static byte[] download(String url, String what) throws Exception {
        check(url != null && url.startsWith("http://127.0.0.1:"), what + " URL: " + url);
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        eq(answer.statusCode(), 200, "GET " + what);
        return answer.body();
    }

    /** ffprobe of an MP4: its streams (codec_type, codec_name, width, height) and its duration. */
    record Probe(List<Map<String, String>> streams, double duration) {
        Map<String, String> video() {
            return streams.stream().filter(s -> "video".equals(s.get("codec_type"))).findFirst().orElseThrow();
        }

        List<String> codecs() {
            return streams.stream().map(s -> s.get("codec_name")).sorted().collect(Collectors.toList());
        }
    }

    static final Pattern STREAM_LINE = Pattern.compile("^streams\\.stream\\.(\\d+)\\.(\\w+)=\"?([^\"]*)\"?$");
    static final Pattern DURATION_LINE = Pattern.compile("^format\\.duration=\"?([0-9.]+)\"?$");

    static Probe probe(byte[] mp4, String name) throws Exception {
        Path file = media.resolve(name);
        Files.write(file, mp4);
        String output = run(List.of("ffprobe", "-v", "error", "-show_entries",
            "stream=codec_type,codec_name,width,height:format=duration", "-of", "flat", file.toString()));
        Map<Integer, Map<String, String>> streams = new TreeMap<>();
        Double duration = null;
        for (String line : output.split("\\R")) {
            Matcher stream = STREAM_LINE.matcher(line.trim());
            Matcher format = DURATION_LINE.matcher(line.trim());
            if (stream.matches()) {
                streams.computeIfAbsent(Integer.parseInt(stream.group(1)), k -> new HashMap<>()).put(stream.group(2), stream.group(3));
            } else if (format.matches()) {
                duration = Double.parseDouble(format.group(1));
            }
        }
        check(duration != null, "ffprobe answers a duration: " + output);
        return new Probe(new ArrayList<>(streams.values()), duration);
    }

    // ---------------------------------------------------------------------------------------------
    // The scenario
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void textScriptRendersAnMp4AndACover() throws Exception {
        Create2DDigitalHumanVideoResponse created = create(APP_USER,
            textVideo(modelAsset, "Hello, and welcome to the show.", "welcome video").withScriptId("script-1"));
        textJob = created.getJobId();

        Show2DDigitalHumanVideoResponse done = waitForSuccess(APP_USER, textJob);
        eq(done.getHttpStatusCode(), 200, "Show status");
        requestId(done.getXRequestId(), "show");
        eq(done.getJobId(), textJob, "job_id");
        eq(value(done.getState()), "SUCCEED", "state");
        eq(value(done.getJobType()), "2D_DIGITAL_HUMAN_VIDEO", "job_type");
        isTime(done.getCreateTime(), "create_time");
        isTime(done.getLastupdateTime(), "lastupdate_time");
        isTime(done.getStartTime(), "start_time");
        isTime(done.getEndTime(), "end_time");
        check(done.getDuration() != null && done.getDuration() > 0, "duration is a positive Float: " + done.getDuration());
        eq(done.getErrorInfo(), null, "no error_info");
        check(done.getOutputAssetConfig() != null, "output_asset_config");
        eq(done.getOutputAssetConfig().getAssetName(), "welcome video", "output_asset_config.asset_name");
        isHex32(done.getOutputAssetConfig().getAssetId(), "output_asset_config.asset_id");
        eq(done.getShootScripts(), null, "no shoot_scripts without show_script=true");
        eq(done.getModelAssetId(), null, "no model_asset_id without show_script=true");

        Probe video = probe(download(done.getOutputAssetConfig().getPreviewVideoUrl(), "preview_video_url"), "text.mp4");
        eq(video.codecs(), List.of("aac", "h264"), "the MP4's codecs");
        eq(video.video().get("width"), "1920", "the MP4's width");
        eq(video.video().get("height"), "1080", "the MP4's height");
        check(Math.abs(video.duration() - done.getDuration()) <= TOLERANCE_SECONDS,
            "the MP4 lasts " + video.duration() + " s, the job says " + done.getDuration());

        byte[] cover = download(done.getOutputAssetConfig().getCoverUrl(), "cover_url");
        check(cover.length > 3 && (cover[0] & 0xff) == 0xff && (cover[1] & 0xff) == 0xd8 && (cover[2] & 0xff) == 0xff,
            "the cover is a JPEG");
    }

    @Test
    @Order(2)
    void showWithScriptAnswersTheScriptFields() {
        Show2DDigitalHumanVideoResponse shown = show(APP_USER, textJob, true);
        eq(shown.getHttpStatusCode(), 200, "Show status");
        requestId(shown.getXRequestId(), "show_script");
        eq(shown.getModelAssetId(), modelAsset, "model_asset_id");
        eq(shown.getScriptId(), "script-1", "script_id");
        eq(value(shown.getVideoMakingType()), "MODEL", "video_making_type");
        check(shown.getShootScripts() != null, "shoot_scripts is a list");
        eq(shown.getShootScripts().size(), 1, "one script");
        ShootScriptItem item = shown.getShootScripts().get(0);
        eq(item.getSequenceNo(), 0, "sequence_no");
        eq(value(item.getShootScript().getScriptType()), "TEXT", "script_type");
        eq(item.getShootScript().getTextConfig().getText(), "Hello, and welcome to the show.", "text_config.text");
        check(shown.getVideoConfig() != null, "video_config");
        eq(shown.getVideoConfig().getWidth(), 1920, "video_config.width");
        eq(shown.getVideoConfig().getHeight(), 1080, "video_config.height");
        eq(value(shown.getVideoConfig().getCodec()), "H264", "video_config.codec");

        eq(show(APP_USER, textJob, false).getShootScripts(), null, "show_script=false: no shoot_scripts");
    }

    @Test
    @Order(3)
    void audioScriptFromTheAllowedHostLastsAsLongAsTheAudio() throws Exception {
        int before = audioRequests.size();
        Create2DDigitalHumanVideoResponse created = create(APP_USER, audioVideo(modelAsset, audioBase + "/speech.wav"));
        audioJob = created.getJobId();
        eq(new ArrayList<>(audioRequests.subList(before, audioRequests.size())), List.of("/speech.wav"),
            "the audio is fetched once, at Create");

        Show2DDigitalHumanVideoResponse done = waitForSuccess(APP_USER, audioJob);
        check(Math.abs(done.getDuration() - 3.0) <= TOLERANCE_SECONDS, "the job lasts " + done.getDuration() + " s for 3 s of audio");
        Show2DDigitalHumanVideoResponse withScript = show(APP_USER, audioJob, true);
        ShootScript script = withScript.getShootScripts().get(0).getShootScript();
        eq(value(script.getScriptType()), "AUDIO", "script_type");
        eq(script.getAudioDriveFileExternalUrl(), audioBase + "/speech.wav", "audio_drive_file_external_url");
        check(script.getAudioDuration() != null && Math.abs(script.getAudioDuration() - 3.0) < 0.05,
            "Show answers the audio duration: " + script.getAudioDuration());
        eq(withScript.getVideoConfig().getWidth(), 1280, "video_config.width");

        Probe video = probe(download(done.getOutputAssetConfig().getPreviewVideoUrl(), "preview_video_url"), "audio.mp4");
        eq(video.codecs(), List.of("aac", "h264"), "the MP4's codecs");
        eq(video.video().get("width"), "1280", "the MP4's width");
        eq(video.video().get("height"), "720", "the MP4's height");
        check(Math.abs(video.duration() - 3.0) <= TOLERANCE_SECONDS, "the MP4 lasts " + video.duration() + " s for 3 s of audio");
        byte[] cover = download(done.getOutputAssetConfig().getCoverUrl(), "cover_url");
        check(cover.length > 3 && (cover[0] & 0xff) == 0xff && (cover[1] & 0xff) == 0xd8, "the cover is a JPEG");
    }

    @Test
    @Order(4)
    void cancelAFinishedOrUnknownJobIsRefused() {
        eq(value(show(APP_USER, textJob, null).getState()), "SUCCEED", "the job to cancel has finished");
        expectClientError(() -> cancel(APP_USER, textJob), 400, "MSS.20010002");
        eq(value(show(APP_USER, textJob, null).getState()), "SUCCEED", "still SUCCEED after the refused cancel");
        expectClientError(() -> cancel(APP_USER, "0".repeat(32)), 404, "MSS.20040001");
        expectClientError(() -> show(APP_USER, "0".repeat(32), null), 404, "MSS.20040001");
    }

    @Test
    @Order(5)
    void listFiltersAndPaging() throws Exception {
        String[] names = {"java-list-alpha", "java-list-beta", "java-list-gamma"};
        for (String name : names) {
            listJobs.add(create(APP_USER, textVideo(modelAsset, "one two", name)).getJobId());
        }
        for (String jobId : listJobs) {
            waitForSuccess(APP_USER, jobId);
        }

        ListDigitalHumanVideoResponse all = list(APP_USER, r -> r.withLimit(100));
        eq(all.getHttpStatusCode(), 200, "List status");
        requestId(all.getXRequestId(), "list");
        eq(all.getCount(), 5, "count: every video job of this app user");
        eq(all.getJobs().size(), 5, "every job on one page");
        List<String> times = all.getJobs().stream().map(DigitalHumanVideo::getCreateTime).collect(Collectors.toList());
        eq(times, times.stream().sorted().collect(Collectors.toList()), "ascending create_time by default");
        eq(ids(all), List.of(textJob, audioJob, listJobs.get(0), listJobs.get(1), listJobs.get(2)), "creation order");

        ListDigitalHumanVideoResponse fuzzy = list(APP_USER, r -> r.withAssetName("java-list-")
            .withFuzzyQueryField(List.of("asset_name")).withLimit(100));
        eq(fuzzy.getCount(), 3, "fuzzy asset_name count");
        eq(ids(fuzzy), listJobs, "fuzzy asset_name");

        ListDigitalHumanVideoResponse exact = list(APP_USER, r -> r.withAssetName("java-list-beta"));
        eq(exact.getCount(), 1, "exact asset_name count");
        eq(ids(exact), List.of(listJobs.get(1)), "exact asset_name");
        eq(list(APP_USER, r -> r.withAssetName("java-list-")).getCount(), 0, "asset_name without fuzzy_query_field is exact");

        ListDigitalHumanVideoResponse page = list(APP_USER, r -> r.withAssetName("java-list-")
            .withFuzzyQueryField(List.of("asset_name")).withLimit(1).withOffset(1).withSortDir("desc"));
        eq(page.getCount(), 3, "count is every match, not the page size");
        eq(ids(page), List.of(listJobs.get(1)), "limit=1 offset=1 sort_dir=desc");
        ListDigitalHumanVideoResponse first = list(APP_USER, r -> r.withAssetName("java-list-")
            .withFuzzyQueryField(List.of("asset_name")).withLimit(2).withOffset(0).withSortKey("create_time").withSortDir("desc"));
        eq(ids(first), List.of(listJobs.get(2), listJobs.get(1)), "limit=2 offset=0 newest first");

        ListDigitalHumanVideoResponse byId = list(APP_USER, r -> r.withJobId(listJobs.get(2)));
        eq(byId.getCount(), 1, "job_id count");
        eq(ids(byId), List.of(listJobs.get(2)), "job_id");

        ListDigitalHumanVideoResponse succeeded = list(APP_USER, r -> r.withState("SUCCEED").withLimit(100));
        eq(succeeded.getCount(), 5, "state=SUCCEED count");
        ListDigitalHumanVideoResponse several = list(APP_USER, r -> r.withState("WAITING,SUCCEED")
            .withAssetName("java-list-").withFuzzyQueryField(List.of("asset_name")));
        eq(ids(several), listJobs, "state list with asset_name");
        ListDigitalHumanVideoResponse none = list(APP_USER, r -> r.withState("FAILED,CANCELED").withLimit(100));
        eq(none.getCount(), 0, "state=FAILED,CANCELED count");
        eq(none.getJobs().size(), 0, "state=FAILED,CANCELED jobs");
        eq(list(APP_USER, r -> r.withCreateSince("2999-01-01T00:00:00Z")).getCount(), 0, "create_since in the future");
        eq(list(APP_USER, r -> r.withScriptId("script-1")).getCount(), 1, "script_id");
        eq(list(APP_USER, r -> r.withJobType("2D_DIGITAL_HUMAN_VIDEO").withLimit(100)).getCount(), 5, "job_type");
        expectClientError(() -> list(APP_USER, r -> r.withState("DONE")), 400, "MSS.00000003");
        expectClientError(() -> list(APP_USER, r -> r.withCreateSince("yesterday")), 400, "MSS.00000003");

        DigitalHumanVideo item = all.getJobs().get(0);
        Show2DDigitalHumanVideoResponse shown = show(APP_USER, textJob, null);
        eq(item.getJobId(), shown.getJobId(), "list item job_id equals Show's");
        eq(value(item.getState()), "SUCCEED", "list item state");
        eq(value(item.getJobType()), "2D_DIGITAL_HUMAN_VIDEO", "list item job_type");
        eq(item.getDuration(), shown.getDuration(), "list item duration equals Show's");
        eq(item.getCreateTime(), shown.getCreateTime(), "list item create_time equals Show's");
        eq(item.getStartTime(), shown.getStartTime(), "list item start_time equals Show's");
        eq(item.getEndTime(), shown.getEndTime(), "list item end_time equals Show's");
        eq(item.getOutputAssetConfig().getAssetId(), shown.getOutputAssetConfig().getAssetId(), "list item output asset_id");
        eq(item.getOutputAssetConfig().getAssetName(), "welcome video", "list item output asset_name");
        check(item.getOutputAssetConfig().getPreviewVideoUrl() != null, "list item preview_video_url");
    }

    @Test
    @Order(6)
    void modelsAndSettingsTheServerRefuses() throws Exception {
        int stored = list(APP_USER, r -> r.withLimit(100)).getCount();

        expectClientError(() -> create(APP_USER, textVideo("0".repeat(32), "hi", "x")), 404, "MSS.20040002");
        String unfinished = trainingJobWithAsset(APP_USER, "java in training", false);
        expectClientError(() -> create(APP_USER, textVideo(unfinished, "hi", "x")), 400, "MSS.20040003");

        Create2DDigitalHumanVideoReq vp8 = textVideo(modelAsset, "hi", "x");
        vp8.getVideoConfig().withCodec(VideoConfig.CodecEnum.VP8);
        expectClientError(() -> create(APP_USER, vp8), 400, "MSS.20040004");
        Create2DDigitalHumanVideoReq portrait = textVideo(modelAsset, "hi", "x");
        portrait.getVideoConfig().withWidth(1080).withHeight(1920);
        expectClientError(() -> create(APP_USER, portrait), 400, "MSS.20040004");
        Create2DDigitalHumanVideoReq subtitles = textVideo(modelAsset, "hi", "x");
        subtitles.getVideoConfig().withIsSubtitleEnable(true);
        expectClientError(() -> create(APP_USER, subtitles), 400, "MSS.20040004");
        expectClientError(() -> create(APP_USER, textVideo(modelAsset, "  ", "x")), 400, "MSS.00000003");

        int before = audioRequests.size();
        String[] refused = {
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1:1/x.wav",
            audioBase + "/redirect",
        };
        for (String url : refused) {
            ServiceResponseException error = expectClientError(() -> create(APP_USER, audioVideo(modelAsset, url)), 400, "MSS.20040005");
            if (url.endsWith("/redirect")) {
                check(error.getErrorMsg().contains("redirect"), "the message names the redirect: " + error.getErrorMsg());
            }
        }
        eq(new ArrayList<>(audioRequests.subList(before, audioRequests.size())), List.of("/redirect"),
            "only the allowed host was contacted, and its redirect not followed");
        eq(list(APP_USER, r -> r.withLimit(100)).getCount(), stored, "no job was stored");
    }

    @Test
    @Order(7)
    void appUsersSeeOnlyTheirOwnVideos() throws Exception {
        String alice = finishedModel("alice", "alice presenter");
        expectClientError(() -> create("bob", textVideo(alice, "hi", "alice video")), 404, "MSS.20040002");
        expectClientError(() -> create(APP_USER, textVideo(alice, "hi", "alice video")), 404, "MSS.20040002");

        String created = create("alice", textVideo(alice, "hi", "alice video")).getJobId();
        eq(show("alice", created, null).getJobId(), created, "alice sees her video");
        expectClientError(() -> show("bob", created, null), 404, "MSS.20040001");
        expectClientError(() -> cancel("bob", created), 404, "MSS.20040001");
        expectClientError(() -> show(APP_USER, created, null), 404, "MSS.20040001");
        ListDigitalHumanVideoResponse bobs = list("bob", r -> r.withLimit(100));
        eq(bobs.getCount(), 0, "bob has no videos");
        check(!ids(bobs).contains(created), "bob's List does not show alice's video");
        eq(list("bob", r -> r.withJobId(created)).getCount(), 0, "bob's List by alice's job_id");
        ListDigitalHumanVideoResponse alices = list("alice", r -> r.withLimit(100));
        eq(ids(alices), List.of(created), "alice lists her video");
        check(!ids(list(APP_USER, r -> r.withLimit(100))).contains(created), "another app user's List does not show it");
        waitForSuccess("alice", created);
    }

    @Test
    @Order(8)
    void everyResponseCarriesItsRequestId() {
        check(requestIds.size() >= 9, "request ids collected: " + requestIds.size());
        for (String[] entry : requestIds) {
            isHex32(entry[1], entry[0] + ".getXRequestId()");
        }
        eq(requestIds.stream().map(e -> e[1]).distinct().count(), (long) requestIds.size(),
            "every answer has its own request id");
    }
}
