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
import com.huaweicloud.sdk.core.exception.ConnectionException;
import com.huaweicloud.sdk.core.exception.RequestTimeoutException;
import com.huaweicloud.sdk.core.exception.ServiceResponseException;
import com.huaweicloud.sdk.metastudio.v1.MetaStudioClient;
import com.huaweicloud.sdk.metastudio.v1.model.Create2dModelTrainingJobReq;
import com.huaweicloud.sdk.metastudio.v1.model.Create2dModelTrainingJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Create2dModelTrainingJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.Delete2dModelTrainingJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Delete2dModelTrainingJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.Execute2dModelTrainingCommandByUserReq;
import com.huaweicloud.sdk.metastudio.v1.model.Execute2dModelTrainingCommandByUserRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Execute2dModelTrainingCommandByUserResponse;
import com.huaweicloud.sdk.metastudio.v1.model.List2dModelTrainingJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.List2dModelTrainingJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.MultipartUploadInfo;
import com.huaweicloud.sdk.metastudio.v1.model.OperationLogInfo;
import com.huaweicloud.sdk.metastudio.v1.model.Show2dModelTrainingJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Show2dModelTrainingJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.SupportedServiceEnum;
import com.huaweicloud.sdk.metastudio.v1.model.TrainingJobBasicInfo;
import com.huaweicloud.sdk.metastudio.v1.model.Update2dModelTrainingJobReq;
import com.huaweicloud.sdk.metastudio.v1.model.Update2dModelTrainingJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Update2dModelTrainingJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.VoiceProperties;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.function.Executable;

/**
 * The official Java SDK (huaweicloud-sdk-metastudio 3.1.143) against avatarforge, unchanged.
 *
 * <p>First the reference page's Show2dModelTrainingJob sample, then one scenario through the
 * training-job operations with the SDK's own request and model classes: Create (every body field the
 * Java model has), Show, the upload URLs, the multipart commands, List (filters, paging, sorting),
 * SUBMITVERIFYING, Update refused under review, Delete, and the SDK exceptions for a deleted job, a
 * bad body and a wrong secret. The tests run in order and build on each other.
 *
 * <p>Every assertion is about what the SDK hands its caller. A wire difference the SDK reveals is a
 * server bug: this suite does not work around it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingJobsConformanceTest {
    static final String APP_USER = "shop-001";
    static final String OTHER_APP_USER = "shop-002";

    static String baseUrl;
    static String projectId;
    static String ak;
    static String sk;
    static MetaStudioClient client;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    // What the scenario learns as it goes.
    static String job;
    static String standard;
    static String other;
    static Create2dModelTrainingJobResponse created;
    static Show2dModelTrainingJobResponse shownAfterCreate;

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    static MetaStudioClient makeClient(String secret) {
        ICredential auth = new BasicCredentials().withProjectId(projectId).withAk(ak).withSk(secret);
        return MetaStudioClient.newBuilder()
            .withCredential(auth)
            .withEndpoints(List.of(baseUrl))
            .build();
    }

    @BeforeAll
    static void setUp() {
        baseUrl = env("AF_BASE_URL");
        projectId = env("AF_PROJECT_ID");
        ak = env("AF_ACCESS_KEY");
        sk = env("AF_SECRET_KEY");
        client = makeClient(sk);
    }

    @AfterAll
    static void total() {
        System.out.println("java conformance: " + Check.count + " assertions");
    }

    static Show2dModelTrainingJobResponse show(String jobId) {
        return client.show2dModelTrainingJob(
            new Show2dModelTrainingJobRequest().withJobId(jobId).withXAppUserId(APP_USER));
    }

    static Execute2dModelTrainingCommandByUserResponse command(String jobId,
            Execute2dModelTrainingCommandByUserReq.CommandEnum name) {
        return client.execute2dModelTrainingCommandByUser(new Execute2dModelTrainingCommandByUserRequest()
            .withJobId(jobId).withXAppUserId(APP_USER)
            .withBody(new Execute2dModelTrainingCommandByUserReq().withCommand(name)));
    }

    static List2dModelTrainingJobResponse listJobs(String appUser, Consumer<List2dModelTrainingJobRequest> filters) {
        List2dModelTrainingJobRequest request = new List2dModelTrainingJobRequest().withXAppUserId(appUser);
        filters.accept(request);
        return client.list2dModelTrainingJob(request);
    }

    static List<String> ids(Consumer<List2dModelTrainingJobRequest> filters) {
        return listJobs(APP_USER, r -> {
            r.withBatchName("java-batch").withLimit(100);
            filters.accept(r);
        }).getJobs().stream().map(TrainingJobBasicInfo::getJobId).collect(Collectors.toList());
    }

    static List<String> logTypes(Show2dModelTrainingJobResponse shown) {
        check(shown.getOperationLogs() != null, "operation_logs is a list");
        List<String> types = new ArrayList<>();
        for (OperationLogInfo entry : shown.getOperationLogs()) {
            isTime(entry.getOperateTime(), "operation_logs[].operate_time");
            types.add(entry.getLogType() == null ? null : entry.getLogType().getValue());
        }
        return types;
    }

    /** A response's X-Request-Id as the SDK hands it over (getXRequestId), checked in the last test. */
    static final List<String[]> requestIds = new ArrayList<>();

    static void requestId(String value, String what) {
        requestIds.add(new String[] {what, value});
    }

    static String md5Etag(byte[] data) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(data);
        return "\"" + String.format("%032x", new BigInteger(1, digest)) + "\"";
    }

    static HttpResponse<byte[]> rawPut(String url, byte[] data) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    static String put(String url, byte[] data) throws Exception {
        HttpResponse<byte[]> answer = rawPut(url, data);
        eq(answer.statusCode(), 200, "PUT " + url + " answered " + answer.statusCode() + ": " + new String(answer.body()));
        String etag = answer.headers().firstValue("ETag").orElse(null);
        eq(etag, md5Etag(data), "upload ETag is the quoted MD5");
        return etag;
    }

    static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        eq(answer.statusCode(), 200, "GET " + url);
        return answer.body();
    }

    // ---------------------------------------------------------------------------------------------
    // The reference page's Java sample (Show2dModelTrainingJob)
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void referenceShowSample() {
        Create2dModelTrainingJobResponse made = client.create2dModelTrainingJob(new Create2dModelTrainingJobRequest()
            .withBody(new Create2dModelTrainingJobReq().withName("sample_anchor")));
        String jobId = made.getJobId();
        isHex32(jobId, "job_id");

        // The sample as the API reference shows it; only the endpoint replaces the region.
        String ak = System.getenv("CLOUD_SDK_AK");
        String sk = System.getenv("CLOUD_SDK_SK");
        String projectId = TrainingJobsConformanceTest.projectId;

        ICredential auth = new BasicCredentials()
            .withProjectId(projectId)
            .withAk(ak)
            .withSk(sk);

        MetaStudioClient client = MetaStudioClient.newBuilder()
            .withCredential(auth)
            .withEndpoints(List.of(baseUrl))
            .build();
        Show2dModelTrainingJobRequest request = new Show2dModelTrainingJobRequest();
        request.withJobId(jobId);
        Show2dModelTrainingJobResponse response;
        try {
            response = client.show2dModelTrainingJob(request);
            System.out.println(response.toString());
        } catch (ConnectionException e) {
            throw e;
        } catch (RequestTimeoutException e) {
            throw e;
        } catch (ServiceResponseException e) {
            e.printStackTrace();
            System.out.println(e.getHttpStatusCode());
            System.out.println(e.getRequestId());
            System.out.println(e.getErrorCode());
            System.out.println(e.getErrorMsg());
            throw e;
        }

        eq(response.getHttpStatusCode(), 200, "status");
        eq(response.getJobId(), jobId, "job_id");
        eq(response.getName(), "sample_anchor", "name");
        eq(value(response.getState()), "WAIT_FILE_UPLOAD", "state");
        eq(response.getProjectId(), projectId, "project_id");
        requestId(response.getXRequestId(), "response");
        check(response.toString().contains("sample_anchor"), "response.toString() shows the job");
    }

    // ---------------------------------------------------------------------------------------------
    // The scenario
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void createWithEveryBodyField() {
        Create2dModelTrainingJobReq body = new Create2dModelTrainingJobReq()
            .withName("anchor_java")
            .withContact("13800000000")
            .withCommandMessage(Create2dModelTrainingJobReq.CommandMessageEnum.UPLOAD_VIDEO)
            .withVideoMultipartCount(2)
            .withActionVideoMultipartCount(2)
            .withIsBackgroundReplacement(false)
            .withBatchName("java-batch")
            .withTags(List.of("ecommerce", "spring"))
            .withModelVersion(Create2dModelTrainingJobReq.ModelVersionEnum.V3_2)
            .withIsFlexus(true)
            .withIsOnlyHumanModel(true)
            .withAudioSourceType(Create2dModelTrainingJobReq.AudioSourceTypeEnum.AUDIO)
            .withVoiceProperties(new VoiceProperties()
                .withJobTag(VoiceProperties.JobTagEnum.NEWS)
                .withSex(VoiceProperties.SexEnum.FEMALE)
                .withLanguage(VoiceProperties.LanguageEnum.CN))
            .withSupportedService(List.of(SupportedServiceEnum.VIDEO_2D));
        created = client.create2dModelTrainingJob(
            new Create2dModelTrainingJobRequest().withXAppUserId(APP_USER).withBody(body));
        job = created.getJobId();
        eq(created.getHttpStatusCode(), 200, "status");
        isHex32(created.getJobId(), "job_id");
        requestId(created.getXRequestId(), "created");

        eq(created.getTrainingVideoUploadUrl().size(), 2, "one training-video URL per part");
        eq(created.getActionVideoUploadUrl().size(), 2, "one action-video URL per part");
        List<String> urls = new ArrayList<>(created.getTrainingVideoUploadUrl());
        urls.addAll(created.getActionVideoUploadUrl());
        urls.add(created.getAudioUploadUrl());
        urls.add(created.getCoverUploadUrl());
        urls.add(created.getIdCardImage1UploadUrl());
        urls.add(created.getIdCardImage2UploadUrl());
        urls.add(created.getGrantFileUploadUrl());
        for (String url : urls) {
            check(url != null && url.startsWith("http://127.0.0.1:"), "upload URL " + url);
        }
        eq(new HashSet<>(urls).size(), urls.size(), "every upload URL is distinct");

        // A standard job of the same app user, deleted later while in WAIT_FILE_UPLOAD.
        Create2dModelTrainingJobResponse std = client.create2dModelTrainingJob(new Create2dModelTrainingJobRequest()
            .withXAppUserId(APP_USER)
            .withBody(new Create2dModelTrainingJobReq()
                .withName("anchor_std").withBatchName("java-batch").withTags(List.of("news"))
                .withModelVersion(Create2dModelTrainingJobReq.ModelVersionEnum.V3_2)
                .withIsFlexus(false).withIsOnlyHumanModel(false).withIsBackgroundReplacement(true)
                .withAudioSourceType(Create2dModelTrainingJobReq.AudioSourceTypeEnum.VIDEO)
                .withSupportedService(List.of(SupportedServiceEnum.VIDEO_2D, SupportedServiceEnum.LIVE_2D,
                    SupportedServiceEnum.CHAT_2D))));
        isHex32(std.getJobId(), "standard job_id");
        eq(std.getTrainingVideoUploadUrl().size(), 1, "video_multipart_count defaults to 1");
        eq(std.getAudioUploadUrl(), null, "no audio URL without audio_source_type AUDIO");
        standard = std.getJobId();

        // A job of another app user: List and Show of shop-001 never see it.
        Create2dModelTrainingJobResponse oth = client.create2dModelTrainingJob(new Create2dModelTrainingJobRequest()
            .withXAppUserId(OTHER_APP_USER)
            .withBody(new Create2dModelTrainingJobReq().withName("anchor_other").withBatchName("java-batch")));
        isHex32(oth.getJobId(), "other job_id");
        other = oth.getJobId();
    }

    @Test
    @Order(3)
    void showAnswersEveryStoredValue() {
        Show2dModelTrainingJobResponse shown = show(job);
        eq(shown.getHttpStatusCode(), 200, "status");
        requestId(shown.getXRequestId(), "shown");

        eq(shown.getJobId(), job, "job_id");
        eq(shown.getName(), "anchor_java", "name");
        eq(value(shown.getState()), "WAIT_FILE_UPLOAD", "state");
        eq(shown.getProjectId(), projectId, "project_id");
        eq(shown.getAppUserId(), APP_USER, "app_user_id");
        eq(shown.getContact(), "13800000000", "contact");
        eq(shown.getBatchName(), "java-batch", "batch_name");
        eq(shown.getTags(), List.of("ecommerce", "spring"), "tags");
        eq(value(shown.getModelVersion()), "V3.2", "model_version");
        eq(value(shown.getMattingType()), "AI", "matting_type");
        eq(shown.getModelResolution(), "1080P", "model_resolution");
        eq(shown.getIsFlexus(), Boolean.TRUE, "is_flexus");
        eq(shown.getIsOnlyHumanModel(), Boolean.TRUE, "is_only_human_model");
        eq(shown.getIsBackgroundReplacement(), Boolean.FALSE, "is_background_replacement");
        eq(shown.getIsMaskFileUploaded(), Boolean.FALSE, "is_mask_file_uploaded");
        eq(value(shown.getAudioSourceType()), "AUDIO", "audio_source_type");
        eq(shown.getSupportedService().stream().map(Check::value).collect(Collectors.toList()),
            List.of("VIDEO_2D"), "supported_service");
        check(shown.getFlexusRetryCount() != null && shown.getFlexusRetryCount() >= 0 && shown.getFlexusRetryCount() <= 10,
            "flexus_retry_count is an Integer in 0..10: " + shown.getFlexusRetryCount());
        isTime(shown.getCreateTime(), "create_time");
        isTime(shown.getLastUpdateTime(), "last_update_time");
        eq(logTypes(shown), List.of("USER_CREATE_JOD"), "operation log after Create");
        eq(value(shown.getOperationLogs().get(0).getOperateUser()), "USER", "operate_user");
        check(shown.getCommentLogs() == null || shown.getCommentLogs().isEmpty(), "no comments yet");
        shownAfterCreate = shown;

        // Another app user's job is not found for this app user.
        expectClientError(() -> show(other), 404, "MSS.20010001");
    }

    @Test
    @Order(4)
    void uploadFilesAndMultipartCommands() throws Exception {
        byte[][] parts = {"training-video-part-1|".getBytes(), "training-video-part-2".getBytes()};
        List<String> etags = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            etags.add(put(created.getTrainingVideoUploadUrl().get(i), parts[i]));
        }
        put(created.getIdCardImage1UploadUrl(), "id-card-front".getBytes());
        put(created.getIdCardImage2UploadUrl(), "id-card-back".getBytes());
        put(created.getGrantFileUploadUrl(), "grant-letter".getBytes());
        put(created.getAudioUploadUrl(), "audio-zip".getBytes());
        // An upload URL works once.
        eq(rawPut(created.getGrantFileUploadUrl(), "x".getBytes()).statusCode(), 403, "a used upload URL is refused");

        Execute2dModelTrainingCommandByUserResponse listed =
            command(job, Execute2dModelTrainingCommandByUserReq.CommandEnum.GET_MULTIPART_UPLOADED);
        eq(listed.getHttpStatusCode(), 200, "status");
        eq(value(listed.getCommondResult()), "EXCUTE_SUCCESS", "commond_result");
        requestId(listed.getXRequestId(), "listed");
        check(listed.getMultipartData() != null, "multipart_data is a list");
        eq(listed.getMultipartData().size(), 2, "two parts received");
        List<MultipartUploadInfo> sorted = new ArrayList<>(listed.getMultipartData());
        sorted.sort(Comparator.comparing(MultipartUploadInfo::getPartNumber));
        for (int i = 0; i < sorted.size(); i++) {
            eq(sorted.get(i).getPartNumber(), String.valueOf(i + 1), "part_number is a string");
            eq(sorted.get(i).getEtag(), etags.get(i), "etag is the upload's ETag");
        }

        Execute2dModelTrainingCommandByUserResponse confirmed =
            command(job, Execute2dModelTrainingCommandByUserReq.CommandEnum.CONFIRM_MULTIPART_UPLOADED);
        eq(value(confirmed.getCommondResult()), "EXCUTE_SUCCESS", "CONFIRM_MULTIPART_UPLOADED");
        eq(confirmed.getExcuteFailedMsg(), null, "no failure message");

        Show2dModelTrainingJobResponse shown = show(job);
        for (String url : new String[] {shown.getTrainingVideoDownloadUrl(), shown.getIdCardImage1DownloadUrl(),
                shown.getIdCardImage2DownloadUrl(), shown.getGrantFileDownloadUrl(), shown.getAudioFileDownloadUrl()}) {
            check(url != null && url.startsWith("http://127.0.0.1:"), "download URL " + url);
        }
        eq(new String(get(shown.getTrainingVideoDownloadUrl())), "training-video-part-1|training-video-part-2",
            "the parts are joined in order");
        eq(new String(get(shown.getGrantFileDownloadUrl())), "grant-letter", "grant file download");
    }

    @Test
    @Order(5)
    void listFiltersPagingAndSorting() {
        List2dModelTrainingJobResponse page = listJobs(APP_USER, r -> r.withBatchName("java-batch")
            .withSortKey("create_time").withSortDir("desc").withOffset(0).withLimit(1));
        eq(page.getHttpStatusCode(), 200, "status");
        requestId(page.getXRequestId(), "page");
        eq(page.getCount(), 2, "count is every match of this app user, not the page size");
        eq(page.getJobs().size(), 1, "limit=1");
        eq(page.getJobs().get(0).getJobId(), standard, "newest first with sort_dir=desc");
        eq(ids(r -> r.withSortKey("create_time").withSortDir("desc").withOffset(1).withLimit(1)), List.of(job),
            "offset=1 is the next page");
        List2dModelTrainingJobResponse ascending = listJobs(APP_USER, r -> r.withBatchName("java-batch")
            .withSortKey("create_time").withSortDir("asc").withLimit(10));
        eq(ascending.getJobs().stream().map(TrainingJobBasicInfo::getJobId).collect(Collectors.toList()),
            List.of(job, standard), "sort_dir=asc");

        TrainingJobBasicInfo item = ascending.getJobs().get(0);
        Show2dModelTrainingJobResponse shown = shownAfterCreate;
        eq(item.getJobId(), shown.getJobId(), "list item job_id equals Show's");
        eq(item.getName(), shown.getName(), "list item name equals Show's");
        eq(value(item.getState()), value(shown.getState()), "list item state equals Show's");
        eq(item.getAssetId(), shown.getAssetId(), "list item asset_id equals Show's");
        eq(item.getProjectId(), shown.getProjectId(), "list item project_id equals Show's");
        eq(item.getCreateTime(), shown.getCreateTime(), "list item create_time equals Show's");
        eq(item.getContact(), shown.getContact(), "list item contact equals Show's");
        eq(item.getBatchName(), shown.getBatchName(), "list item batch_name equals Show's");
        eq(item.getTags(), shown.getTags(), "list item tags equal Show's");
        eq(value(item.getModelVersion()), value(shown.getModelVersion()), "list item model_version equals Show's");
        eq(value(item.getMattingType()), value(shown.getMattingType()), "list item matting_type equals Show's");
        eq(item.getModelResolution(), shown.getModelResolution(), "list item model_resolution equals Show's");
        eq(item.getAppUserId(), shown.getAppUserId(), "list item app_user_id equals Show's");
        eq(item.getIsFlexus(), shown.getIsFlexus(), "list item is_flexus equals Show's");
        eq(item.getIsOnlyHumanModel(), shown.getIsOnlyHumanModel(), "list item is_only_human_model equals Show's");
        isTime(item.getLastUpdateTime(), "list item last_update_time");

        eq(ids(r -> r.withTag("spring")), List.of(job), "tag");
        eq(ids(r -> r.withName("anchor_std")), List.of(standard), "name");
        eq(ids(r -> r.withJobId(job)), List.of(job), "job_id");
        eq(ids(r -> r.withIsFlexus(true)), List.of(job), "is_flexus=true");
        eq(ids(r -> r.withIsFlexus(false)), List.of(standard), "is_flexus=false");
        eq(ids(r -> r.withState("WAIT_FILE_UPLOAD,AUTO_VERIFYING").withSortKey("create_time")), List.of(job, standard),
            "state list");
        eq(ids(r -> r.withState("JOB_SUCCESS")), List.of(), "state without matches");
        eq(ids(r -> r.withModelResolution("1080P").withSortKey("create_time")), List.of(job, standard),
            "model_resolution");
        eq(ids(r -> r.withCreateSince(shown.getCreateTime()).withSortKey("create_time")), List.of(job, standard),
            "create_since is inclusive");
        eq(ids(r -> r.withCreateUntil("2000-01-01T00:00:00Z")), List.of(), "create_until before everything");

        List2dModelTrainingJobResponse others = listJobs(OTHER_APP_USER, r -> r.withBatchName("java-batch"));
        eq(others.getJobs().stream().map(TrainingJobBasicInfo::getJobId).collect(Collectors.toList()), List.of(other),
            "another app user sees only its own job");
        eq(others.getCount(), 1, "another app user's count");
    }

    @Test
    @Order(6)
    void submitForReview() {
        Execute2dModelTrainingCommandByUserResponse submitted =
            command(job, Execute2dModelTrainingCommandByUserReq.CommandEnum.SUBMITVERIFYING);
        eq(submitted.getHttpStatusCode(), 200, "status");
        eq(value(submitted.getCommondResult()), "EXCUTE_SUCCESS", "commond_result");
        requestId(submitted.getXRequestId(), "submitted");
        Show2dModelTrainingJobResponse shown = show(job);
        eq(value(shown.getState()), "AUTO_VERIFYING", "state after SUBMITVERIFYING (the emulated review is held)");
        eq(logTypes(shown), List.of("USER_CREATE_JOD", "USER_VERIFYING_SUBMITTED"), "operation logs");
        eq(value(shown.getOperationLogs().get(1).getOperateUser()), "USER", "operate_user");

        // Update is refused while the job is under review.
        expectClientError(() -> client.update2dModelTrainingJob(new Update2dModelTrainingJobRequest()
            .withJobId(job).withXAppUserId(APP_USER)
            .withBody(new Update2dModelTrainingJobReq().withName("too_early"))), 400, "MSS.20010002");
    }

    @Test
    @Order(7)
    void updateAfterAFailedReview() throws Exception {
        // Stands in for the review pipeline: the emulated review is held in this suite and no public
        // call fails a review, so the outcome of a failed automatic review is written into its SQLite file.
        Process sqlite = new ProcessBuilder("sqlite3", env("AF_DB_PATH")).redirectErrorStream(true).start();
        sqlite.getOutputStream().write((".timeout 10000\n"
            + "UPDATE training_jobs SET state='AUTO_VERIFY_FAILED', version=version+1 WHERE job_id='" + job + "';\n"
            + "UPDATE projects SET jobs_version=jobs_version+1;\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sqlite.getOutputStream().close();
        eq(sqlite.waitFor(), 0, "sqlite3 exit code: " + new String(sqlite.getInputStream().readAllBytes()));
        eq(value(show(job).getState()), "AUTO_VERIFY_FAILED", "state after the failed review");

        Update2dModelTrainingJobResponse updated = client.update2dModelTrainingJob(new Update2dModelTrainingJobRequest()
            .withJobId(job).withXAppUserId(APP_USER)
            .withBody(new Update2dModelTrainingJobReq()
                .withName("java_updated")
                .withBatchName("java_batch_2")
                .withCommandMessage(Update2dModelTrainingJobReq.CommandMessageEnum.UPDATE_VIDEO)
                .withVideoMultipartCount(3)));
        eq(updated.getHttpStatusCode(), 200, "status");
        requestId(updated.getXRequestId(), "updated");
        eq(updated.getJobId(), job, "job_id");
        eq(updated.getTrainingVideoUploadUrl().size(), 3, "fresh training-video upload URLs");
        Show2dModelTrainingJobResponse shown = show(job);
        eq(shown.getName(), "java_updated", "name after Update");
        eq(shown.getBatchName(), "java_batch_2", "batch_name after Update");
        eq(logTypes(shown).get(logTypes(shown).size() - 1), "USER_UPDATE_VIDEO", "Update with UPDATE_VIDEO is logged");
    }

    @Test
    @Order(8)
    void deleteAndShowOfTheDeletedJob() {
        eq(value(show(standard).getState()), "WAIT_FILE_UPLOAD", "deletable state");
        Delete2dModelTrainingJobResponse deleted = client.delete2dModelTrainingJob(
            new Delete2dModelTrainingJobRequest().withJobId(standard).withXAppUserId(APP_USER));
        eq(deleted.getHttpStatusCode(), 200, "status");
        requestId(deleted.getXRequestId(), "deleted");

        ClientRequestException error = expectClientError(() -> show(standard), 404, "MSS.20010001");
        check(!error.getRequestId().equals(deleted.getXRequestId()), "the error has its own request id");
        eq(listJobs(APP_USER, r -> r.withJobId(standard)).getCount(), 0, "List no longer finds the deleted job");
    }

    @Test
    @Order(9)
    void badInputIsAClientError() {
        expectClientError(() -> client.create2dModelTrainingJob(new Create2dModelTrainingJobRequest()
            .withBody(new Create2dModelTrainingJobReq().withName("too_many_parts").withVideoMultipartCount(1001))),
            400, "MSS.10000003");
    }

    @Test
    @Order(11)
    void everyResponseCarriesItsRequestId() {
        // getXRequestId() of every successful response the scenario received (the SDK fills it from
        // the X-Request-Id response header); checked here so that a missing one does not hide the rest.
        check(requestIds.size() >= 7, "request ids collected: " + requestIds.size());
        for (String[] entry : requestIds) {
            isHex32(entry[1], entry[0] + ".getXRequestId()");
        }
        eq(requestIds.stream().map(e -> e[1]).distinct().count(), (long) requestIds.size(),
            "every answer has its own request id");
    }

    @Test
    @Order(10)
    void wrongSecretIsRefused() {
        char last = sk.charAt(sk.length() - 1);
        MetaStudioClient bad = makeClient(sk.substring(0, sk.length() - 1) + (last != '0' ? '0' : '1'));
        expectClientError(() -> bad.show2dModelTrainingJob(
            new Show2dModelTrainingJobRequest().withJobId(job).withXAppUserId(APP_USER)), 401, "APIG.0301");
    }
}
