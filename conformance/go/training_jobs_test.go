// The official Go SDK (github.com/huaweicloud/huaweicloud-sdk-go-v3 v0.1.188) against avatarforge, unchanged.
//
// First the reference page's Show2dModelTrainingJob sample, then one scenario through every
// training-job operation with the SDK's own request and model types: Create (every body field),
// the upload URLs, the multipart commands, List (filters, paging, sorting), Show, SUBMITVERIFYING,
// Update after a failed review, Delete, and the SDK errors for a deleted job, a bad body and a
// wrong secret. The tests run in file order and build on each other.
//
// Every assertion is about what the SDK hands its caller. The Go SDK returns an error from a call
// whose 200 body has a wrong JSON type, so every successful call below is also a type check of
// the wire. A wire difference the SDK reveals is a server bug: this suite does not work around it.
package conformance

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/httphandler"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	metastudio "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/metastudio/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/metastudio/v1/model"
)

const (
	appUser      = "shop-001"
	otherAppUser = "shop-002"
)

// What the scenario learns as it goes.
var state struct {
	job, standard, other string
	created              *model.Create2dModelTrainingJobResponse
	shownAfterCreate     *model.Show2dModelTrainingJobResponse
}

// -------------------------------------------------------------------------------------------------
// Helpers
// -------------------------------------------------------------------------------------------------

type server struct{ baseURL, projectID, ak, sk, dbPath string }

func env() server {
	return server{
		baseURL:   os.Getenv("AF_BASE_URL"),
		projectID: os.Getenv("AF_PROJECT_ID"),
		ak:        os.Getenv("AF_ACCESS_KEY"),
		sk:        os.Getenv("AF_SECRET_KEY"),
		dbPath:    os.Getenv("AF_DB_PATH"),
	}
}

// wireLog remembers the last HTTP response the SDK received (an SDK HttpHandler hook, read-only).
type wireLog struct {
	mu        sync.Mutex
	requestID string
	body      []byte
}

func (w *wireLog) record(response http.Response) {
	var body []byte
	if response.Body != nil {
		body, _ = io.ReadAll(response.Body)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requestID = response.Header.Get("X-Request-Id")
	w.body = body
}

func (w *wireLog) lastRequestID() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.requestID
}

// raw is the JSON object the server last sent, to name the wire value when the SDK's view is wrong.
func (w *wireLog) raw(t *testing.T) map[string]any {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]any{}
	if len(w.body) > 0 {
		if err := json.Unmarshal(w.body, &out); err != nil {
			t.Fatalf("the last response body is not a JSON object: %v: %s", err, w.body)
		}
	}
	return out
}

var wire = &wireLog{}

func makeClient(srv server, sk string, w *wireLog) *metastudio.MetaStudioClient {
	auth := basic.NewCredentialsBuilder().WithAk(srv.ak).WithSk(sk).WithProjectId(srv.projectID).Build()
	builder := metastudio.MetaStudioClientBuilder().
		WithEndpoints([]string{srv.baseURL}).
		WithCredential(auth)
	if w != nil {
		builder = builder.WithHttpConfig(config.DefaultHttpConfig().
			WithHttpHandler(httphandler.NewHttpHandler().AddResponseHandler(w.record)))
	}
	return metastudio.NewMetaStudioClient(builder.Build())
}

var (
	clientOnce sync.Once
	theClient  *metastudio.MetaStudioClient
)

func client() *metastudio.MetaStudioClient {
	clientOnce.Do(func() { theClient = makeClient(env(), env().sk, wire) })
	return theClient
}

func need(t *testing.T, ok bool) {
	t.Helper()
	if !ok {
		t.Fatal("an earlier step of the scenario failed")
	}
}

func noErr(t *testing.T, err error, what string) {
	t.Helper()
	count.Add(1)
	if err != nil {
		t.Fatalf("%s: the SDK returned an error: %v (last body on the wire: %s)", what, err, wire.body)
	}
}

func upload(t *testing.T, url string, data []byte) string {
	t.Helper()
	request, err := http.NewRequest(http.MethodPut, url, bytes.NewReader(data))
	noErr(t, err, "PUT request")
	request.Header.Set("Content-Type", "application/octet-stream")
	answer, err := http.DefaultClient.Do(request)
	noErr(t, err, "PUT "+url)
	body, _ := io.ReadAll(answer.Body)
	answer.Body.Close()
	eq(t, answer.StatusCode, 200, fmt.Sprintf("PUT %s answered %d: %s", url, answer.StatusCode, body))
	sum := md5.Sum(data)
	etag := answer.Header.Get("ETag")
	eq(t, etag, `"`+hex.EncodeToString(sum[:])+`"`, "upload ETag is the quoted MD5")
	return etag
}

func putStatus(t *testing.T, url string, data []byte) int {
	t.Helper()
	request, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(data))
	answer, err := http.DefaultClient.Do(request)
	noErr(t, err, "PUT "+url)
	answer.Body.Close()
	return answer.StatusCode
}

func download(t *testing.T, url string) (int, []byte) {
	t.Helper()
	answer, err := http.Get(url)
	noErr(t, err, "GET "+url)
	defer answer.Body.Close()
	body, _ := io.ReadAll(answer.Body)
	return answer.StatusCode, body
}

func showJob(t *testing.T, jobID string) *model.Show2dModelTrainingJobResponse {
	t.Helper()
	shown, err := client().Show2dModelTrainingJob(&model.Show2dModelTrainingJobRequest{JobId: jobID, XAppUserId: ptr(appUser)})
	noErr(t, err, "Show2dModelTrainingJob "+jobID)
	return shown
}

func command(t *testing.T, jobID string, name model.Execute2dModelTrainingCommandByUserReqCommand) *model.Execute2dModelTrainingCommandByUserResponse {
	t.Helper()
	answer, err := client().Execute2dModelTrainingCommandByUser(&model.Execute2dModelTrainingCommandByUserRequest{
		JobId: jobID, XAppUserId: ptr(appUser),
		Body: &model.Execute2dModelTrainingCommandByUserReq{Command: name},
	})
	noErr(t, err, "Execute2dModelTrainingCommandByUser "+name.Value())
	return answer
}

func listJobs(t *testing.T, user string, filters func(*model.List2dModelTrainingJobRequest)) *model.List2dModelTrainingJobResponse {
	t.Helper()
	request := &model.List2dModelTrainingJobRequest{XAppUserId: ptr(user)}
	if filters != nil {
		filters(request)
	}
	listed, err := client().List2dModelTrainingJob(request)
	noErr(t, err, "List2dModelTrainingJob")
	return listed
}

func jobIDs(listed *model.List2dModelTrainingJobResponse) []string {
	ids := []string{}
	if listed.Jobs != nil {
		for _, job := range *listed.Jobs {
			ids = append(ids, job.JobId)
		}
	}
	return ids
}

func logTypes(t *testing.T, shown *model.Show2dModelTrainingJobResponse) []string {
	t.Helper()
	check(t, shown.OperationLogs != nil, "operation_logs is a list")
	types := []string{}
	for i, entry := range *shown.OperationLogs {
		isTime(t, entry.OperateTime, fmt.Sprintf("operation_logs[%d].operate_time", i))
		types = append(types, val(t, entry.LogType, "operation_logs[].log_type").Value())
	}
	return types
}

// jsonKeys: the JSON names of a model's fields.
func jsonKeys(v any) map[string]bool {
	keys := map[string]bool{}
	typ := reflect.TypeOf(v)
	for i := 0; i < typ.NumField(); i++ {
		name := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}

func unknownKeys(object map[string]any, v any) []string {
	known := jsonKeys(v)
	unknown := []string{}
	for key := range object {
		if !known[key] {
			unknown = append(unknown, key)
		}
	}
	sort.Strings(unknown)
	return unknown
}

func expectServiceError(t *testing.T, err error, status int, code string, w *wireLog) *sdkerr.ServiceResponseError {
	t.Helper()
	var service *sdkerr.ServiceResponseError
	check(t, errors.As(err, &service), "expected *sdkerr.ServiceResponseError, got %T: %v", err, err)
	eq(t, service.StatusCode, status, "StatusCode")
	eq(t, service.ErrorCode, code, "ErrorCode")
	check(t, service.ErrorMessage != "", "ErrorMessage is non-empty: %q", service.ErrorMessage)
	isHex32(t, &service.RequestId, "error RequestId")
	eq(t, service.RequestId, w.lastRequestID(), "error RequestId equals the X-Request-Id header")
	return service
}

// failReview stands in for the review pipeline: the emulated review is held and no public call fails a review,
// so write the outcome of a failed automatic review straight into the server's SQLite file.
func failReview(t *testing.T, jobID string) int {
	t.Helper()
	check(t, hex32.MatchString(jobID), "job id is safe to inline: %q", jobID)
	return sqliteExec(t, "UPDATE training_jobs SET state='AUTO_VERIFY_FAILED', version=version+1 WHERE job_id='"+jobID+"';\n"+
		"SELECT changes();\n"+
		"UPDATE projects SET jobs_version=jobs_version+1;\n")
}

// -------------------------------------------------------------------------------------------------
// The reference page's Go sample (Show2dModelTrainingJob)
// -------------------------------------------------------------------------------------------------

func TestReferenceShowSample(t *testing.T) {
	srv := env()
	created, err := client().Create2dModelTrainingJob(&model.Create2dModelTrainingJobRequest{
		Body: &model.Create2dModelTrainingJobReq{Name: "sample_anchor"}})
	noErr(t, err, "Create2dModelTrainingJob")
	isHex32(t, created.JobId, "job_id")
	jobID := *created.JobId

	// The sample as the API reference shows it; only the endpoint replaces the region
	// (WithEndpoints instead of WithRegion(region.ValueOf(...)), so the region import goes too).
	ak := os.Getenv("CLOUD_SDK_AK")
	sk := os.Getenv("CLOUD_SDK_SK")
	projectId := srv.projectID

	auth := basic.NewCredentialsBuilder().
		WithAk(ak).
		WithSk(sk).
		WithProjectId(projectId).
		Build()

	client := metastudio.NewMetaStudioClient(
		metastudio.MetaStudioClientBuilder().
			WithEndpoints([]string{srv.baseURL}).
			WithCredential(auth).
			Build())

	request := &model.Show2dModelTrainingJobRequest{}
	request.JobId = jobID
	response, err := client.Show2dModelTrainingJob(request)
	if err == nil {
		fmt.Printf("%+v\n", response)
	} else {
		fmt.Println(err)
	}

	noErr(t, err, "the sample's Show2dModelTrainingJob")
	eq(t, response.HttpStatusCode, 200, "HttpStatusCode")
	eq(t, response.JobId, jobID, "job_id")
	eq(t, response.Name, "sample_anchor", "name")
	eq(t, response.State, model.GetShow2dModelTrainingJobResponseStateEnum().WAIT_FILE_UPLOAD, "state")
	eq(t, val(t, response.ProjectId, "project_id"), srv.projectID, "project_id")
	isHex32(t, response.XRequestId, "X-Request-Id")
	check(t, strings.Contains(fmt.Sprintf("%+v", response), "sample_anchor"), "printing the response shows the job")
}

// -------------------------------------------------------------------------------------------------
// The scenario
// -------------------------------------------------------------------------------------------------

func TestCreateWithEveryBodyField(t *testing.T) {
	body := &model.Create2dModelTrainingJobReq{
		Name:                      "anchor_go",
		Contact:                   ptr("13800000000"),
		CommandMessage:            ptr(model.GetCreate2dModelTrainingJobReqCommandMessageEnum().UPLOAD_VIDEO),
		VideoMultipartCount:       ptr(int32(2)),
		ActionVideoMultipartCount: ptr(int32(2)),
		IsBackgroundReplacement:   ptr(false),
		BatchName:                 ptr("go-batch"),
		Tags:                      &[]string{"ecommerce", "spring"},
		ModelVersion:              ptr(model.GetCreate2dModelTrainingJobReqModelVersionEnum().V3_3),
		IsOndemandResource:        ptr(true),
		IsFlexus:                  ptr(true),
		IsFastFlexus:              ptr(true),
		IsLiveCopy:                ptr(true),
		IsOnlyHumanModel:          ptr(true),
		AudioSourceType:           ptr(model.GetCreate2dModelTrainingJobReqAudioSourceTypeEnum().AUDIO),
		VoiceProperties: &model.VoiceProperties{
			JobTag:   model.GetVoicePropertiesJobTagEnum().NEWS,
			Sex:      model.GetVoicePropertiesSexEnum().FEMALE,
			Language: model.GetVoicePropertiesLanguageEnum().CN,
		},
		SupportedService: &[]model.SupportedServiceEnum{model.GetSupportedServiceEnumEnum().VIDEO_2_D},
	}
	created, err := client().Create2dModelTrainingJob(&model.Create2dModelTrainingJobRequest{XAppUserId: ptr(appUser), Body: body})
	noErr(t, err, "Create2dModelTrainingJob")
	eq(t, created.HttpStatusCode, 200, "status")
	isHex32(t, created.JobId, "job_id")
	isHex32(t, created.XRequestId, "X-Request-Id")
	eq(t, *created.XRequestId, wire.lastRequestID(), "XRequestId is the X-Request-Id header")
	eq(t, unknownKeys(wire.raw(t), model.Create2dModelTrainingJobResponse{}), []string{}, "keys on the wire the SDK model does not know")

	training := val(t, created.TrainingVideoUploadUrl, "training_video_upload_url")
	action := val(t, created.ActionVideoUploadUrl, "action_video_upload_url")
	eq(t, len(training), 2, "one training-video URL per part")
	eq(t, len(action), 2, "one action-video URL per part")
	urls := append(append([]string{}, training...), action...)
	for _, field := range []struct {
		name  string
		value *string
	}{
		{"audio_upload_url", created.AudioUploadUrl},
		{"cover_upload_url", created.CoverUploadUrl},
		{"id_card_image1_upload_url", created.IdCardImage1UploadUrl},
		{"id_card_image2_upload_url", created.IdCardImage2UploadUrl},
		{"grant_file_upload_url", created.GrantFileUploadUrl},
	} {
		check(t, field.value != nil && strings.HasPrefix(*field.value, "http://127.0.0.1:"), "%s: %s", field.name, repr(field.value))
		urls = append(urls, *field.value)
	}
	distinct := map[string]bool{}
	for _, url := range urls {
		check(t, strings.HasPrefix(url, "http://127.0.0.1:"), "upload URL %q", url)
		distinct[url] = true
	}
	eq(t, len(distinct), len(urls), "every upload URL is distinct")
	state.job = *created.JobId
	state.created = created

	// A standard job (every flag false) of the same app user, deleted later while in WAIT_FILE_UPLOAD.
	services := model.GetSupportedServiceEnumEnum()
	standard, err := client().Create2dModelTrainingJob(&model.Create2dModelTrainingJobRequest{
		XAppUserId: ptr(appUser),
		Body: &model.Create2dModelTrainingJobReq{
			Name: "anchor_std", BatchName: ptr("go-batch"), Tags: &[]string{"news"},
			ModelVersion: ptr(model.GetCreate2dModelTrainingJobReqModelVersionEnum().V3_2),
			IsFlexus:     ptr(false), IsFastFlexus: ptr(false), IsLiveCopy: ptr(false), IsOndemandResource: ptr(false),
			IsOnlyHumanModel: ptr(false), IsBackgroundReplacement: ptr(true),
			AudioSourceType:  ptr(model.GetCreate2dModelTrainingJobReqAudioSourceTypeEnum().VIDEO),
			SupportedService: &[]model.SupportedServiceEnum{services.VIDEO_2_D, services.LIVE_2_D, services.CHAT_2_D},
		}})
	noErr(t, err, "Create2dModelTrainingJob (standard)")
	isHex32(t, standard.JobId, "standard job_id")
	eq(t, len(val(t, standard.TrainingVideoUploadUrl, "training_video_upload_url")), 1, "video_multipart_count defaults to 1")
	eq(t, standard.AudioUploadUrl, (*string)(nil), "no audio URL without audio_source_type AUDIO")
	state.standard = *standard.JobId

	// A job of another app user: List and Show of shop-001 never see it.
	other, err := client().Create2dModelTrainingJob(&model.Create2dModelTrainingJobRequest{
		XAppUserId: ptr(otherAppUser),
		Body:       &model.Create2dModelTrainingJobReq{Name: "anchor_other", BatchName: ptr("go-batch")}})
	noErr(t, err, "Create2dModelTrainingJob (other app user)")
	isHex32(t, other.JobId, "other job_id")
	state.other = *other.JobId
}

func TestShowAnswersEveryStoredValueWithItsType(t *testing.T) {
	need(t, state.job != "")
	srv := env()
	shown := showJob(t, state.job)
	wireBody := wire.raw(t)
	eq(t, shown.HttpStatusCode, 200, "status")
	isHex32(t, shown.XRequestId, "X-Request-Id")
	eq(t, *shown.XRequestId, wire.lastRequestID(), "XRequestId is the X-Request-Id header")
	check(t, *shown.XRequestId != *state.created.XRequestId, "every answer has its own request id")

	eq(t, shown.JobId, state.job, "job_id")
	eq(t, shown.Name, "anchor_go", "name")
	eq(t, shown.State, model.GetShow2dModelTrainingJobResponseStateEnum().WAIT_FILE_UPLOAD, "state")
	eq(t, shown.ProjectId, ptr(srv.projectID), "project_id")
	eq(t, shown.AppUserId, ptr(appUser), "app_user_id")
	eq(t, shown.Contact, ptr("13800000000"), "contact")
	eq(t, shown.BatchName, ptr("go-batch"), "batch_name")
	eq(t, shown.Tags, &[]string{"ecommerce", "spring"}, "tags")
	eq(t, shown.ModelVersion, ptr(model.GetShow2dModelTrainingJobResponseModelVersionEnum().V3_3), "model_version")
	eq(t, shown.MattingType, ptr(model.GetShow2dModelTrainingJobResponseMattingTypeEnum().AI), "matting_type")
	eq(t, shown.ModelResolution, ptr("1080P"), "model_resolution")
	for _, field := range []struct {
		name     string
		value    *bool
		expected bool
	}{
		{"is_flexus", shown.IsFlexus, true},
		{"is_live_copy", shown.IsLiveCopy, true},
		{"is_fast_flexus", shown.IsFastFlexus, true},
		{"is_only_human_model", shown.IsOnlyHumanModel, true},
		{"is_background_replacement", shown.IsBackgroundReplacement, false},
		{"is_ondemand_resource", shown.IsOndemandResource, true},
		{"is_mask_file_uploaded", shown.IsMaskFileUploaded, false},
	} {
		eq(t, field.value, ptr(field.expected), field.name)
		eq[any](t, wireBody[field.name], field.expected, field.name+" on the wire")
	}
	eq(t, shown.AudioSourceType, ptr(model.GetShow2dModelTrainingJobResponseAudioSourceTypeEnum().AUDIO), "audio_source_type")
	eq(t, shown.VoiceProperties, &model.VoiceProperties{
		JobTag:   model.GetVoicePropertiesJobTagEnum().NEWS,
		Sex:      model.GetVoicePropertiesSexEnum().FEMALE,
		Language: model.GetVoicePropertiesLanguageEnum().CN,
	}, "voice_properties")
	eq(t, shown.SupportedService, &[]model.SupportedServiceEnum{model.GetSupportedServiceEnumEnum().VIDEO_2_D}, "supported_service")
	retries := val(t, shown.FlexusRetryCount, "flexus_retry_count")
	check(t, 0 <= retries && retries <= 10, "flexus_retry_count in 0..10: %d", retries)
	isTime(t, shown.CreateTime, "create_time")
	isTime(t, shown.LastUpdateTime, "last_update_time")
	eq(t, logTypes(t, shown), []string{"USER_CREATE_JOD"}, "operation log after Create")
	eq(t, (*shown.OperationLogs)[0].OperateUser, ptr(model.GetOperationLogInfoOperateUserEnum().USER), "operate_user")
	check(t, shown.CommentLogs == nil || len(*shown.CommentLogs) == 0, "no comments yet: %s", repr(shown.CommentLogs))
	// Every key the server sent is one the SDK model knows (a misspelt key would vanish silently).
	// Except `beauty_level`: the Show reference page documents it (Integer, 0-3, default 0), but the
	// Go SDK's model has no such field either, so the SDK drops it; its value is checked on the wire.
	eq(t, unknownKeys(wireBody, model.Show2dModelTrainingJobResponse{}), []string{"beauty_level"}, "keys on the wire that the SDK model does not know")
	wireLogs, _ := wireBody["operation_logs"].([]any)
	for _, entry := range wireLogs {
		object, _ := entry.(map[string]any)
		eq(t, unknownKeys(object, model.OperationLogInfo{}), []string{}, "keys of an operation_logs entry the SDK model does not know")
	}
	voiceWire, _ := wireBody["voice_properties"].(map[string]any)
	eq(t, unknownKeys(voiceWire, model.VoiceProperties{}), []string{}, "keys of voice_properties the SDK model does not know")
	eq[any](t, wireBody["beauty_level"], float64(0), "beauty_level on the wire (documented default 0)")
	state.shownAfterCreate = shown

	// Another app user's job is not found for this app user.
	_, err := client().Show2dModelTrainingJob(&model.Show2dModelTrainingJobRequest{JobId: state.other, XAppUserId: ptr(appUser)})
	expectServiceError(t, err, 404, "MSS.20010001", wire)
}

func TestUploadFilesAndMultipartCommands(t *testing.T) {
	need(t, state.created != nil)
	created := state.created
	commands := model.GetExecute2dModelTrainingCommandByUserReqCommandEnum()
	parts := [][]byte{[]byte("training-video-part-1|"), []byte("training-video-part-2")}
	etags := []string{}
	for i, url := range *created.TrainingVideoUploadUrl {
		etags = append(etags, upload(t, url, parts[i]))
	}
	upload(t, *created.IdCardImage1UploadUrl, []byte("id-card-front"))
	upload(t, *created.IdCardImage2UploadUrl, []byte("id-card-back"))
	upload(t, *created.GrantFileUploadUrl, []byte("grant-letter"))
	upload(t, *created.AudioUploadUrl, []byte("audio-zip"))
	// An upload URL works once.
	eq(t, putStatus(t, *created.GrantFileUploadUrl, []byte("x")), 403, "a used upload URL is refused")

	listed := command(t, state.job, commands.GET_MULTIPART_UPLOADED)
	eq(t, listed.CommondResult, ptr(model.GetExecute2dModelTrainingCommandByUserResponseCommondResultEnum().EXCUTE_SUCCESS), "commond_result")
	isHex32(t, listed.XRequestId, "X-Request-Id")
	listedWire := wire.raw(t)
	eq(t, unknownKeys(listedWire, model.Execute2dModelTrainingCommandByUserResponse{}), []string{}, "keys of the command answer the SDK model does not know")
	wireParts, _ := listedWire["multipart_data"].([]any)
	for _, part := range wireParts {
		object, _ := part.(map[string]any)
		eq(t, unknownKeys(object, model.MultipartUploadInfo{}), []string{}, "keys of a multipart_data entry the SDK model does not know")
	}
	received := val(t, listed.MultipartData, "multipart_data")
	eq(t, len(received), 2, "two parts received")
	sort.Slice(received, func(i, j int) bool { return *received[i].PartNumber < *received[j].PartNumber })
	for i, part := range received {
		eq(t, part.PartNumber, ptr(strconv.Itoa(i+1)), "part_number is a string")
		eq(t, part.Etag, ptr(etags[i]), "etag is the upload's ETag")
	}

	confirmed := command(t, state.job, commands.CONFIRM_MULTIPART_UPLOADED)
	eq(t, confirmed.CommondResult, ptr(model.GetExecute2dModelTrainingCommandByUserResponseCommondResultEnum().EXCUTE_SUCCESS), "CONFIRM_MULTIPART_UPLOADED")
	eq(t, confirmed.ExcuteFailedMsg, (*string)(nil), "no failure message")
	eq(t, confirmed.ErrorInfo, (*model.ErrorResponse)(nil), "no error_info")

	shown := showJob(t, state.job)
	for _, field := range []struct {
		name  string
		value *string
	}{
		{"training_video_download_url", shown.TrainingVideoDownloadUrl},
		{"id_card_image1_download_url", shown.IdCardImage1DownloadUrl},
		{"id_card_image2_download_url", shown.IdCardImage2DownloadUrl},
		{"grant_file_download_url", shown.GrantFileDownloadUrl},
		{"audio_file_download_url", shown.AudioFileDownloadUrl},
	} {
		check(t, field.value != nil && strings.HasPrefix(*field.value, "http://127.0.0.1:"), "%s: %s", field.name, repr(field.value))
	}
	status, video := download(t, *shown.TrainingVideoDownloadUrl)
	eq(t, status, 200, "training video download")
	eq(t, video, bytes.Join(parts, nil), "the parts are joined in order")
	_, grant := download(t, *shown.GrantFileDownloadUrl)
	eq(t, grant, []byte("grant-letter"), "grant file download")
}

func TestListFiltersPagingAndSorting(t *testing.T) {
	need(t, state.shownAfterCreate != nil)
	job, standard := state.job, state.standard
	batch := func(r *model.List2dModelTrainingJobRequest) { r.BatchName = ptr("go-batch") }

	page := listJobs(t, appUser, func(r *model.List2dModelTrainingJobRequest) {
		batch(r)
		r.SortKey, r.SortDir, r.Offset, r.Limit = ptr("create_time"), ptr("desc"), ptr(int32(0)), ptr(int32(1))
	})
	eq(t, page.HttpStatusCode, 200, "status")
	isHex32(t, page.XRequestId, "X-Request-Id")
	eq(t, page.Count, ptr(int32(2)), "count is every match of this app user, not the page size")
	eq(t, jobIDs(page), []string{standard}, "limit=1, newest first with sort_dir=desc")
	second := listJobs(t, appUser, func(r *model.List2dModelTrainingJobRequest) {
		batch(r)
		r.SortKey, r.SortDir, r.Offset, r.Limit = ptr("create_time"), ptr("desc"), ptr(int32(1)), ptr(int32(1))
	})
	eq(t, jobIDs(second), []string{job}, "offset=1 is the next page")
	ascending := listJobs(t, appUser, func(r *model.List2dModelTrainingJobRequest) {
		batch(r)
		r.SortKey, r.SortDir, r.Limit = ptr("create_time"), ptr("asc"), ptr(int32(10))
	})
	eq(t, jobIDs(ascending), []string{job, standard}, "sort_dir=asc")
	listWire := wire.raw(t)
	eq(t, unknownKeys(listWire, model.List2dModelTrainingJobResponse{}), []string{}, "keys of the List answer the SDK model does not know")
	wireJobs, _ := listWire["jobs"].([]any)
	check(t, len(wireJobs) == 2, "jobs on the wire: %v", wireJobs)
	firstWire, _ := wireJobs[0].(map[string]any)
	eq(t, unknownKeys(firstWire, model.TrainingJobBasicInfo{}), []string{}, "keys of a list item the SDK model does not know")

	// Every field of a list item equals Show's (enum types differ per model: compare their JSON).
	item := reflect.ValueOf((*ascending.Jobs)[0])
	shown := reflect.ValueOf(*state.shownAfterCreate)
	for i := 0; i < item.NumField(); i++ {
		name := item.Type().Field(i).Name
		if name == "CoverDownloadUrl" {
			continue
		}
		fromList, _ := json.Marshal(item.Field(i).Interface())
		fromShow, _ := json.Marshal(shown.FieldByName(name).Interface())
		eq(t, string(fromList), string(fromShow), "list item "+name+" equals Show's")
	}

	ids := func(filters func(*model.List2dModelTrainingJobRequest)) []string {
		return jobIDs(listJobs(t, appUser, func(r *model.List2dModelTrainingJobRequest) {
			batch(r)
			r.Limit = ptr(int32(100))
			filters(r)
		}))
	}
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.Tag = ptr("spring") }), []string{job}, "tag")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.Name = ptr("anchor_std") }), []string{standard}, "name")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.JobId = ptr(job) }), []string{job}, "job_id")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.IsFlexus = ptr(true) }), []string{job}, "is_flexus=true")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.IsFlexus = ptr(false) }), []string{standard}, "is_flexus=false")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.IsLiveCopy = ptr(true) }), []string{job}, "is_live_copy=true")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.IsOndemandResource = ptr(false) }), []string{standard}, "is_ondemand_resource=false")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.State = ptr("WAIT_FILE_UPLOAD,AUTO_VERIFYING") }), []string{job, standard}, "state list")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.State = ptr("JOB_SUCCESS") }), []string{}, "state without matches")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.ModelResolution = ptr("1080P") }), []string{job, standard}, "model_resolution")
	createdAt := *state.shownAfterCreate.CreateTime
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) {
		r.CreateSince, r.SortKey = ptr(createdAt), ptr("create_time")
	}), []string{job, standard}, "create_since is inclusive")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.CreateUntil = ptr("2000-01-01T00:00:00Z") }), []string{}, "create_until before everything")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) {
		r.UpdateSince, r.UpdateUntil = ptr("2000-01-01T00:00:00Z"), ptr("2999-01-01T00:00:00Z")
	}), []string{job, standard}, "update window")
	eq(t, ids(func(r *model.List2dModelTrainingJobRequest) { r.SortKey = ptr("asset_order") }), []string{job, standard}, "sort_key=asset_order")

	other := listJobs(t, otherAppUser, batch)
	eq(t, jobIDs(other), []string{state.other}, "another app user sees only its own job")
	eq(t, other.Count, ptr(int32(1)), "another app user's count")
}

func TestSubmitForReview(t *testing.T) {
	need(t, state.job != "")
	submitted := command(t, state.job, model.GetExecute2dModelTrainingCommandByUserReqCommandEnum().SUBMITVERIFYING)
	eq(t, submitted.HttpStatusCode, 200, "status")
	eq(t, submitted.CommondResult, ptr(model.GetExecute2dModelTrainingCommandByUserResponseCommondResultEnum().EXCUTE_SUCCESS), "commond_result")
	isHex32(t, submitted.XRequestId, "X-Request-Id")
	shown := showJob(t, state.job)
	eq(t, shown.State, model.GetShow2dModelTrainingJobResponseStateEnum().AUTO_VERIFYING, "state after SUBMITVERIFYING (the emulated review is held)")
	eq(t, logTypes(t, shown), []string{"USER_CREATE_JOD", "USER_VERIFYING_SUBMITTED"}, "operation logs")
	logs := *shown.OperationLogs
	eq(t, logs[len(logs)-1].OperateUser, ptr(model.GetOperationLogInfoOperateUserEnum().USER), "operate_user")
}

func TestUpdateAfterFailedReview(t *testing.T) {
	need(t, state.job != "" && state.created != nil)
	job := state.job
	// Update is refused while the job is under review.
	_, err := client().Update2dModelTrainingJob(&model.Update2dModelTrainingJobRequest{
		JobId: job, XAppUserId: ptr(appUser), Body: &model.Update2dModelTrainingJobReq{Name: ptr("too_early")}})
	expectServiceError(t, err, 400, "MSS.20010002", wire)

	// Stand-in for the review pipeline (see failReview).
	eq(t, failReview(t, job), 1, "the job row was moved to AUTO_VERIFY_FAILED")
	before := showJob(t, job)
	eq(t, before.State, model.GetShow2dModelTrainingJobResponseStateEnum().AUTO_VERIFY_FAILED, "state")

	updated, err := client().Update2dModelTrainingJob(&model.Update2dModelTrainingJobRequest{
		JobId: job, XAppUserId: ptr(appUser),
		Body: &model.Update2dModelTrainingJobReq{
			Name:                      ptr("anchor_go_v2"),
			Contact:                   ptr("13900000000"),
			CommandMessage:            ptr(model.GetUpdate2dModelTrainingJobReqCommandMessageEnum().UPDATE_VIDEO),
			VideoMultipartCount:       ptr(int32(3)),
			ActionVideoMultipartCount: ptr(int32(1)),
			IsBackgroundReplacement:   ptr(true),
			BatchName:                 ptr("go-batch-2"),
			Tags:                      &[]string{"ecommerce"},
			IsFastFlexus:              ptr(false),
			VoiceProperties: &model.VoiceProperties{
				JobTag:   model.GetVoicePropertiesJobTagEnum().ECOMMERCE,
				Sex:      model.GetVoicePropertiesSexEnum().MALE,
				Language: model.GetVoicePropertiesLanguageEnum().CN,
			},
			SupportedService: &[]model.SupportedServiceEnum{model.GetSupportedServiceEnumEnum().VIDEO_2_D},
			AudioSourceType:  ptr(model.GetUpdate2dModelTrainingJobReqAudioSourceTypeEnum().AUDIO),
		}})
	noErr(t, err, "Update2dModelTrainingJob")
	eq(t, updated.HttpStatusCode, 200, "status")
	eq(t, updated.JobId, ptr(job), "job_id")
	isHex32(t, updated.XRequestId, "X-Request-Id")
	eq(t, unknownKeys(wire.raw(t), model.Update2dModelTrainingJobResponse{}), []string{}, "keys of the Update answer the SDK model does not know")
	eq(t, len(val(t, updated.TrainingVideoUploadUrl, "training_video_upload_url")), 3, "fresh URLs for the new part count")
	eq(t, len(val(t, updated.ActionVideoUploadUrl, "action_video_upload_url")), 1, "fresh action-video URL")
	for _, field := range []struct {
		name  string
		value *string
	}{
		{"id_card_image1_upload_url", updated.IdCardImage1UploadUrl},
		{"id_card_image2_upload_url", updated.IdCardImage2UploadUrl},
		{"grant_file_upload_url", updated.GrantFileUploadUrl},
		{"audio_upload_url", updated.AudioUploadUrl},
	} {
		check(t, field.value != nil && *field.value != "", "%s after Update: %s", field.name, repr(field.value))
	}
	stale := putStatus(t, (*state.created.ActionVideoUploadUrl)[0], []byte("x"))
	check(t, stale == 403 || stale == 404, "URLs issued before the Update stop working: %d", stale)

	shown := showJob(t, job)
	eq(t, shown.State, model.GetShow2dModelTrainingJobResponseStateEnum().AUTO_VERIFY_FAILED, "Update does not change the state")
	eq(t, shown.Name, "anchor_go_v2", "name")
	eq(t, shown.Contact, ptr("13900000000"), "contact")
	eq(t, shown.BatchName, ptr("go-batch-2"), "batch_name")
	eq(t, shown.Tags, &[]string{"ecommerce"}, "tags")
	eq(t, shown.IsBackgroundReplacement, ptr(true), "is_background_replacement")
	eq(t, shown.IsFastFlexus, ptr(false), "is_fast_flexus")
	eq[any](t, wire.raw(t)["is_fast_flexus"], false, "is_fast_flexus on the wire")
	eq(t, shown.IsFlexus, ptr(true), "is_flexus is not updatable and stays")
	eq(t, shown.ModelVersion, ptr(model.GetShow2dModelTrainingJobResponseModelVersionEnum().V3_3), "model_version stays")
	eq(t, shown.VoiceProperties, &model.VoiceProperties{
		JobTag:   model.GetVoicePropertiesJobTagEnum().ECOMMERCE,
		Sex:      model.GetVoicePropertiesSexEnum().MALE,
		Language: model.GetVoicePropertiesLanguageEnum().CN,
	}, "voice_properties")
	eq(t, shown.SupportedService, &[]model.SupportedServiceEnum{model.GetSupportedServiceEnumEnum().VIDEO_2_D}, "supported_service")
	eq(t, shown.AudioSourceType, ptr(model.GetShow2dModelTrainingJobResponseAudioSourceTypeEnum().AUDIO), "audio_source_type")
	eq(t, shown.CreateTime, before.CreateTime, "create_time stays")
	beforeTime, err1 := time.Parse(time.RFC3339Nano, val(t, before.LastUpdateTime, "last_update_time"))
	afterTime, err2 := time.Parse(time.RFC3339Nano, val(t, shown.LastUpdateTime, "last_update_time"))
	check(t, err1 == nil && err2 == nil && !afterTime.Before(beforeTime), "last_update_time moves forward: %s -> %s", *before.LastUpdateTime, *shown.LastUpdateTime)
	logged := false
	for _, logType := range logTypes(t, shown) {
		logged = logged || logType == "USER_UPDATE_VIDEO"
	}
	check(t, logged, "UPDATE_VIDEO logs USER_UPDATE_VIDEO")
	eq(t, jobIDs(listJobs(t, appUser, func(r *model.List2dModelTrainingJobRequest) { r.BatchName = ptr("go-batch-2") })), []string{job}, "List sees the new batch name")
	byUpdate := listJobs(t, appUser, func(r *model.List2dModelTrainingJobRequest) {
		r.SortKey, r.SortDir, r.Limit = ptr("update_time"), ptr("desc"), ptr(int32(1))
	})
	eq(t, jobIDs(byUpdate), []string{job}, "sort_key=update_time: the updated job is the most recently updated")
}

func TestDeleteAndShowOfTheDeletedJob(t *testing.T) {
	need(t, state.standard != "")
	standard := state.standard
	eq(t, showJob(t, standard).State, model.GetShow2dModelTrainingJobResponseStateEnum().WAIT_FILE_UPLOAD, "deletable state")
	deleted, err := client().Delete2dModelTrainingJob(&model.Delete2dModelTrainingJobRequest{JobId: standard, XAppUserId: ptr(appUser)})
	noErr(t, err, "Delete2dModelTrainingJob")
	eq(t, deleted.HttpStatusCode, 200, "status")
	isHex32(t, deleted.XRequestId, "X-Request-Id")
	eq(t, *deleted.XRequestId, wire.lastRequestID(), "XRequestId is the X-Request-Id header")
	eq(t, unknownKeys(wire.raw(t), model.Delete2dModelTrainingJobResponse{}), []string{}, "keys of the Delete answer the SDK model does not know")

	_, err = client().Show2dModelTrainingJob(&model.Show2dModelTrainingJobRequest{JobId: standard, XAppUserId: ptr(appUser)})
	service := expectServiceError(t, err, 404, "MSS.20010001", wire)
	check(t, service.RequestId != *deleted.XRequestId, "the error has its own request id")
	gone := listJobs(t, appUser, func(r *model.List2dModelTrainingJobRequest) { r.JobId = ptr(standard) })
	eq(t, gone.Count, ptr(int32(0)), "List no longer finds the deleted job")
}

func TestBadInputIsAClientError(t *testing.T) {
	// Go callers can only send the enum values the SDK knows; a count out of range is what a Go
	// caller can get wrong.
	_, err := client().Create2dModelTrainingJob(&model.Create2dModelTrainingJobRequest{
		Body: &model.Create2dModelTrainingJobReq{Name: "too_many_parts", VideoMultipartCount: ptr(int32(1001))}})
	expectServiceError(t, err, 400, "MSS.10000003", wire)
}

func TestWrongSecretIsRefused(t *testing.T) {
	need(t, state.job != "")
	srv := env()
	last := srv.sk[len(srv.sk)-1]
	replacement := "0"
	if last == '0' {
		replacement = "1"
	}
	w := &wireLog{}
	bad := makeClient(srv, srv.sk[:len(srv.sk)-1]+replacement, w)
	_, err := bad.Show2dModelTrainingJob(&model.Show2dModelTrainingJobRequest{JobId: state.job, XAppUserId: ptr(appUser)})
	expectServiceError(t, err, 401, "APIG.0301", w)
}
